package org.topiary.sparsity;

import org.topiary.sparsity.schedule.ConstantSparsity;
import org.topiary.sparsity.schedule.OneShotSparsity;
import org.topiary.sparsity.schedule.PolynomialDecay;

/**
 * How sparse the pruned tensors should be after a given number of optimizer updates.
 *
 * <p>A schedule is an immutable value with one question to answer: the target fraction of zeros
 * at {@code step}. <em>When</em> masks are recomputed is a separate value, {@link UpdateWindow}.
 *
 * <p><b>Time unit.</b> {@code step} counts completed optimizer updates: 0 before the first
 * update, {@code t} after {@code t} updates. In DL4J this is the model's iteration count plus one
 * at the moment {@code iterationDone} fires. Use {@link Steps} to convert epochs.
 *
 * <p><b>Contract</b> (checked for every implementation by the schedule contract suite): values lie
 * in [0, 1); the function is non-decreasing in {@code step}; it equals {@link #initialSparsity()}
 * for every step before {@link #beginStep()} and {@link #finalSparsity()} from {@link #endStep()}
 * on.
 */
public interface SparsitySchedule {

    /** Target fraction of zeros in [0, 1) after {@code step} optimizer updates ({@code step >= 0}). */
    double sparsityAt(long step);

    /** Sparsity before {@link #beginStep()}. */
    double initialSparsity();

    /** Sparsity from {@link #endStep()} on. */
    double finalSparsity();

    /** First step at which the schedule may differ from {@link #initialSparsity()}. */
    long beginStep();

    /** First step at which the schedule equals {@link #finalSparsity()}; {@code >= beginStep()}. */
    long endStep();

    /**
     * The same schedule shape with another final target, used for per-tensor overrides. The
     * initial sparsity is capped at the new final value.
     */
    SparsitySchedule withFinalSparsity(double finalSparsity);

    /** Stable type id used in Topiary's JSON, e.g. {@code "polynomial-decay"}. */
    String typeId();

    /** The same sparsity at every step. */
    static SparsitySchedule constant(double sparsity) {
        return new ConstantSparsity(sparsity);
    }

    /** Zero sparsity before {@code step}, {@code sparsity} from {@code step} on. */
    static SparsitySchedule oneShot(double sparsity, long step) {
        return new OneShotSparsity(sparsity, step);
    }

    /**
     * Zhu &amp; Gupta's cubic schedule ("To prune, or not to prune", 2017):
     * <pre>s(t) = s_f + (s_i - s_f) * (1 - (t - t0) / (t1 - t0))^3   for t0 &lt;= t &lt;= t1</pre>
     */
    static SparsitySchedule polynomial(
            double initialSparsity, double finalSparsity, long beginStep, long endStep) {
        return new PolynomialDecay(initialSparsity, finalSparsity, beginStep, endStep, 3.0);
    }

    /** Polynomial decay with an explicit exponent (3 is Zhu &amp; Gupta's choice). */
    static SparsitySchedule polynomial(
            double initialSparsity,
            double finalSparsity,
            long beginStep,
            long endStep,
            double power) {
        return new PolynomialDecay(initialSparsity, finalSparsity, beginStep, endStep, power);
    }
}
