package org.topiary.sparsity.dl4j.internal;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.topiary.sparsity.internal.Checks;

/** Reads a regularization coefficient from its schedule and rejects values no penalty can use. */
public final class Coefficients {
    private Coefficients() {}

    /**
     * {@code schedule.valueAt(iteration, epoch)}, which must be finite and {@code >= 0}.
     *
     * @throws IllegalStateException naming {@code owner}, the value and the position otherwise
     */
    public static double at(ISchedule schedule, int iteration, int epoch, String owner) {
        double v = schedule.valueAt(iteration, epoch);
        Checks.state(
                v >= 0 && !Double.isInfinite(v),
                "%s: the lambda schedule %s gave %s at iteration %d, epoch %d; a regularization"
                        + " coefficient must be >= 0 and finite. Fix the schedule.",
                owner,
                schedule,
                v,
                iteration,
                epoch);
        return v;
    }

    /**
     * A constant coefficient: a {@link FixedSchedule} of {@code value}, which must be {@code >= 0}
     * (the one check behind every regularizer's {@code of(double lambda, …)} factory).
     *
     * @throws IllegalArgumentException naming {@code field} and the value otherwise
     */
    public static ISchedule constant(String field, double value) {
        return new FixedSchedule(Checks.nonNegative(field, value));
    }

    /** Validates a schedule at construction: not null, and a usable value at iteration 0, epoch 0. */
    public static ISchedule check(String field, ISchedule schedule) {
        Checks.notNull(field, schedule);
        Checks.nonNegative(field + " at iteration 0, epoch 0", schedule.valueAt(0, 0));
        return schedule;
    }
}
