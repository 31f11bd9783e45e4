package org.topiary.examples.search;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.topiary.sparsity.internal.Checks;

/**
 * When a search stops: after a number of candidates (completed or failed), or after a wall time.
 * With a wall time no candidate starts after the deadline; candidates already running finish and
 * are recorded.
 *
 * @param candidates maximum candidates, or empty
 * @param duration maximum wall time, or empty
 */
public record Budget(Optional<Integer> candidates, Optional<Duration> duration) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smh])");

    /** Validates: exactly one of the two, positive. */
    public Budget {
        Checks.notNull("candidates", candidates);
        Checks.notNull("duration", duration);
        Checks.isTrue(
                candidates.isPresent() != duration.isPresent(),
                "a budget is either a candidate count or a duration, found %s and %s",
                candidates,
                duration);
        candidates.ifPresent(n -> Checks.positive("candidates", n));
        duration.ifPresent(d -> Checks.isTrue(!d.isNegative() && !d.isZero(), "duration must be > 0, found %s", d));
    }

    /** At most {@code n} candidates. */
    public static Budget candidates(int n) {
        return new Budget(Optional.of(n), Optional.empty());
    }

    /** Start candidates until {@code d} has passed. */
    public static Budget duration(Duration d) {
        return new Budget(Optional.empty(), Optional.of(d));
    }

    /**
     * Parses {@code 12} (candidates) or {@code 30m}, {@code 90s}, {@code 2h} (wall time).
     *
     * @param text the budget
     * @return the budget
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static Budget parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+")) {
            return candidates(Integer.parseInt(t));
        }
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long v = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                default -> Duration.ofHours(v);
            };
            return duration(d);
        }
        throw new IllegalArgumentException(
                "budget must be a candidate count (e.g. 12) or a duration (e.g. 90s, 30m, 2h), found '" + text + "'");
    }

    @Override
    public String toString() {
        return candidates.map(n -> n + " candidates")
                .orElseGet(() -> duration.orElseThrow().toSeconds() + " s wall time");
    }
}
