package org.topiary.examples.search;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.topiary.sparsity.internal.Checks;

/**
 * The ranges a search draws {@link CandidateSettings} from. Continuous ranges are sampled
 * uniformly (the L1 strength log-uniformly); a range whose bounds are equal is fixed. Lists are
 * the discrete choices. Build the Arbiter parameter space with {@link #parameterSpace()}.
 *
 * @param sparsity final sparsity range {@code [min, max]}, inside {@code [0, 1)}
 * @param beginFraction pruning-begin range, fractions of the run's steps
 * @param endFraction pruning-end range; its minimum must exceed {@code beginFraction}'s maximum
 * @param frequencies mask-update intervals to choose from, in steps
 * @param allocations allocation modes to choose from
 * @param l1Modes L1 terms to choose from
 * @param l1Strength λ range (log-uniform), {@code min > 0}
 * @param distill distillation off/on choices ({@code [false]} when there is no teacher)
 * @param temperature KD temperature range
 * @param alpha KD hard-label weight range, inside {@code [0, 1]}
 * @param patterns mask patterns to choose from ({@code [UNSTRUCTURED]} by default)
 */
public record SearchSpace(
        Range sparsity,
        Range beginFraction,
        Range endFraction,
        List<Long> frequencies,
        List<AllocationMode> allocations,
        List<L1Mode> l1Modes,
        Range l1Strength,
        List<Boolean> distill,
        Range temperature,
        Range alpha,
        List<PatternMode> patterns) {

    /**
     * A closed interval; {@code min == max} fixes the value.
     *
     * @param min lower bound
     * @param max upper bound, {@code >= min}
     */
    public record Range(double min, double max) {
        /** Validates the bounds. */
        public Range {
            Checks.isTrue(
                    Double.isFinite(min) && Double.isFinite(max) && min <= max,
                    "a range needs finite min <= max, found [%s, %s]",
                    min,
                    max);
        }

        /** A fixed value. */
        public static Range fixed(double value) {
            return new Range(value, value);
        }

        /** Whether the range holds a single value. */
        public boolean isFixed() {
            return min == max;
        }

        @Override
        public String toString() {
            return isFixed()
                    ? String.format(Locale.ROOT, "%s", min)
                    : String.format(Locale.ROOT, "[%s, %s]", min, max);
        }
    }

    /** Validates ranges and choices. */
    public SearchSpace {
        Checks.notNull("sparsity", sparsity);
        Checks.notNull("beginFraction", beginFraction);
        Checks.notNull("endFraction", endFraction);
        Checks.notNull("l1Strength", l1Strength);
        Checks.notNull("temperature", temperature);
        Checks.notNull("alpha", alpha);
        Checks.isTrue(
                sparsity.min() >= 0 && sparsity.max() < 1,
                "sparsity must lie in [0, 1), found %s",
                sparsity);
        Checks.isTrue(
                beginFraction.min() >= 0 && beginFraction.max() < 1,
                "beginFraction must lie in [0, 1), found %s",
                beginFraction);
        Checks.isTrue(
                endFraction.min() > beginFraction.max() && endFraction.max() <= 1,
                "endFraction must lie in (max beginFraction, 1] = (%s, 1], found %s",
                beginFraction.max(),
                endFraction);
        Checks.isTrue(l1Strength.min() > 0, "l1Strength must be > 0 (log-uniform), found %s", l1Strength);
        Checks.isTrue(temperature.min() > 0, "temperature must be > 0, found %s", temperature);
        Checks.isTrue(
                alpha.min() >= 0 && alpha.max() <= 1, "alpha must lie in [0, 1], found %s", alpha);
        frequencies = nonEmpty("frequencies", frequencies);
        allocations = nonEmpty("allocations", allocations);
        l1Modes = nonEmpty("l1Modes", l1Modes);
        distill = nonEmpty("distill", distill);
        patterns = nonEmpty("patterns", patterns);
        for (long f : frequencies) {
            Checks.positive("frequencies", f);
        }
    }

    private static <T> List<T> nonEmpty(String field, List<T> values) {
        Checks.notNull(field, values);
        List<T> copy = values.stream().distinct().toList();
        Checks.isTrue(!copy.isEmpty(), "%s must hold at least one value, found []", field);
        return copy;
    }

    /**
     * The default space around FMNIST-GMP: sparsity 0.90–0.95, pruning from 0–20% to 50–80% of
     * the run, masks every 50/100/200 steps, layer or global allocation, no L1 / L1 / proximal L1
     * with λ in [1e-5, 1e-2] (log), and, with a teacher, distillation off/on with T in [1, 4] and
     * α in [0.1, 0.7]; unstructured masks only.
     *
     * @param withTeacher whether a teacher is available (otherwise distillation stays off)
     * @return the space
     */
    public static SearchSpace defaults(boolean withTeacher) {
        return new SearchSpace(
                new Range(0.90, 0.95),
                new Range(0.0, 0.2),
                new Range(0.5, 0.8),
                List.of(50L, 100L, 200L),
                List.of(AllocationMode.LAYER, AllocationMode.GLOBAL),
                List.of(L1Mode.NONE, L1Mode.L1, L1Mode.PROXIMAL),
                new Range(1e-5, 1e-2),
                withTeacher ? List.of(false, true) : List.of(false),
                new Range(1.0, 4.0),
                new Range(0.1, 0.7),
                List.of(PatternMode.UNSTRUCTURED));
    }

    /** A copy with other allocation modes. */
    public SearchSpace withAllocations(List<AllocationMode> modes) {
        return new SearchSpace(sparsity, beginFraction, endFraction, frequencies, modes, l1Modes,
                l1Strength, distill, temperature, alpha, patterns);
    }

    /** A copy with another sparsity range. */
    public SearchSpace withSparsity(Range range) {
        return new SearchSpace(range, beginFraction, endFraction, frequencies, allocations, l1Modes,
                l1Strength, distill, temperature, alpha, patterns);
    }

    /** A copy with other L1 choices. */
    public SearchSpace withL1Modes(List<L1Mode> modes) {
        return new SearchSpace(sparsity, beginFraction, endFraction, frequencies, allocations, modes,
                l1Strength, distill, temperature, alpha, patterns);
    }

    /** A copy with other distillation choices. */
    public SearchSpace withDistill(List<Boolean> choices) {
        return new SearchSpace(sparsity, beginFraction, endFraction, frequencies, allocations, l1Modes,
                l1Strength, choices, temperature, alpha, patterns);
    }

    /** A copy with other mask-update intervals. */
    public SearchSpace withFrequencies(List<Long> steps) {
        return new SearchSpace(sparsity, beginFraction, endFraction, steps, allocations, l1Modes,
                l1Strength, distill, temperature, alpha, patterns);
    }

    /**
     * A copy with other mask patterns ({@code [UNSTRUCTURED, NEURONS]} makes structured
     * candidates, whose shrunk models are really smaller).
     */
    public SearchSpace withPatterns(List<PatternMode> choices) {
        return new SearchSpace(sparsity, beginFraction, endFraction, frequencies, allocations, l1Modes,
                l1Strength, distill, temperature, alpha, choices);
    }

    /** The Arbiter parameter space over this search space. */
    public CandidateSpace parameterSpace() {
        return new CandidateSpace(this);
    }

    /** A multi-line description for reports. */
    public String describe() {
        return String.join(
                "\n",
                "final sparsity: " + sparsity,
                "pruning begin (fraction of steps): " + beginFraction,
                "pruning end (fraction of steps): " + endFraction,
                "mask update every (steps): " + frequencies,
                "allocation: " + allocations.stream().map(AllocationMode::id).collect(Collectors.joining(", ")),
                "L1: " + l1Modes.stream().map(L1Mode::id).collect(Collectors.joining(", "))
                        + ", λ log-uniform in " + l1Strength,
                "distillation: " + distill + ", T in " + temperature + ", α in " + alpha,
                "pattern: " + patterns.stream().map(PatternMode::id).collect(Collectors.joining(", "))
                        + (patterns.contains(PatternMode.NEURONS) ? " (neurons: layer allocation)" : ""));
    }
}
