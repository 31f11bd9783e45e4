package org.topiary.sparsity.schedule;

import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.internal.Checks;

/**
 * Polynomial growth of sparsity from {@code s_i} to {@code s_f} (Zhu &amp; Gupta, "To prune, or
 * not to prune", 2017, eq. 1, with {@code power = 3}):
 *
 * <pre>
 * s(t) = s_i                                                  t &lt; t0
 * s(t) = s_f + (s_i - s_f) * (1 - (t - t0) / (t1 - t0))^p      t0 &lt;= t &lt;= t1
 * s(t) = s_f                                                  t &gt; t1
 * </pre>
 *
 * In the paper {@code t1 - t0 = n * Δt}. JSON: {@code {"type": "polynomial-decay",
 * "initialSparsity": 0.0, "finalSparsity": 0.9, "beginStep": 469, "endStep": 3283, "power": 3.0}}.
 *
 * @param initialSparsity {@code s_i} in [0, 1)
 * @param finalSparsity {@code s_f} in [0, 1), {@code >= s_i}
 * @param beginStep {@code t0 >= 0}
 * @param endStep {@code t1 > t0}
 * @param power exponent {@code p >= 1} (3 by default)
 */
public record PolynomialDecay(
        double initialSparsity, double finalSparsity, long beginStep, long endStep, double power)
        implements SparsitySchedule {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "polynomial-decay";

    public PolynomialDecay {
        Checks.inHalfOpenRange("initialSparsity", initialSparsity, 0.0, 1.0);
        Checks.inHalfOpenRange("finalSparsity", finalSparsity, 0.0, 1.0);
        Checks.isTrue(
                finalSparsity >= initialSparsity,
                "finalSparsity (%s) must be >= initialSparsity (%s): sparsity only grows",
                finalSparsity,
                initialSparsity);
        Checks.nonNegative("beginStep", beginStep);
        Checks.isTrue(
                endStep > beginStep,
                "endStep (%d) must be > beginStep (%d)",
                endStep,
                beginStep);
        Checks.isTrue(
                power >= 1.0 && !Double.isInfinite(power),
                "power must be a finite number >= 1, found %s",
                power);
    }

    @Override
    public double sparsityAt(long step) {
        if (step <= beginStep) {
            return initialSparsity;
        }
        if (step >= endStep) {
            return finalSparsity;
        }
        double progress = (double) (step - beginStep) / (double) (endStep - beginStep);
        return finalSparsity + (initialSparsity - finalSparsity) * Math.pow(1.0 - progress, power);
    }

    @Override
    public SparsitySchedule withFinalSparsity(double newFinal) {
        return new PolynomialDecay(
                Math.min(initialSparsity, newFinal), newFinal, beginStep, endStep, power);
    }

    @Override
    public String typeId() {
        return TYPE;
    }
}
