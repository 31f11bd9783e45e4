package org.topiary.examples.search;

import java.util.Objects;
import java.util.Optional;
import org.topiary.sparsity.internal.Checks;

/**
 * One row of the results table: a candidate's settings and what became of it.
 *
 * @param index Arbiter's candidate index (0-based, in generation order)
 * @param settings the settings trained
 * @param status {@code COMPLETE} or {@code FAILED}
 * @param metrics validation metrics (empty for a failed candidate)
 * @param score the constrained score ({@link SearchConstraint}), {@code NaN} when failed
 * @param seconds wall time of the candidate: build, train and evaluate
 * @param error why it failed (first line of the exception), empty when complete
 */
public record CandidateRecord(
        int index,
        CandidateSettings settings,
        Status status,
        Optional<CandidateMetrics> metrics,
        double score,
        double seconds,
        Optional<String> error) {

    /** Outcome of a candidate. */
    public enum Status {
        /** Trained and evaluated. */
        COMPLETE,
        /** Training or evaluation threw (e.g. the loss diverged); the search went on. */
        FAILED
    }

    /** Validates the components. */
    public CandidateRecord {
        Checks.nonNegative("index", index);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(error, "error");
        Checks.isTrue(
                (status == Status.COMPLETE) == metrics.isPresent(),
                "a %s candidate must %s metrics",
                status,
                status == Status.COMPLETE ? "have" : "not have");
        Checks.nonNegative("seconds", seconds);
    }

    /** A completed candidate. */
    static CandidateRecord completed(
            int index, CandidateSettings settings, CandidateMetrics metrics, double score, double seconds) {
        return new CandidateRecord(
                index, Objects.requireNonNull(settings, "settings"), Status.COMPLETE,
                Optional.of(metrics), score, seconds, Optional.empty());
    }

    /** A failed candidate; {@code settings} may be null if the candidate could not even be built. */
    static CandidateRecord failed(int index, CandidateSettings settings, double seconds, String error) {
        return new CandidateRecord(
                index, settings, Status.FAILED, Optional.empty(), Double.NaN, seconds,
                Optional.of(error == null ? "unknown error" : error));
    }

    /** Whether the candidate completed and meets {@code constraint}. */
    public boolean isFeasible(SearchConstraint constraint) {
        return metrics.isPresent() && constraint.isFeasible(metrics.get());
    }
}
