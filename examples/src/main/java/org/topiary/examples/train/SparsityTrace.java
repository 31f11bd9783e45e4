package org.topiary.examples.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects {@link TracePoint}s during one run; the trainer attaches them to the {@link RunResult}
 * so the report can plot target against achieved sparsity. Filled by {@link
 * SparsityTraceListener} or by any listener that has the numbers. Not thread-safe: DL4J calls
 * listeners on the training thread.
 */
public final class SparsityTrace {

    private final List<TracePoint> points = new ArrayList<>();

    /** Creates an empty trace. */
    public SparsityTrace() {}

    /**
     * Adds a sample.
     *
     * @param step optimizer updates completed
     * @param targetSparsity the schedule's target
     * @param achievedSparsity the measured sparsity
     * @throws IllegalArgumentException if a value is out of range or {@code step} is not greater
     *     than the previous sample's step
     */
    public void record(long step, double targetSparsity, double achievedSparsity) {
        if (!points.isEmpty() && step <= points.get(points.size() - 1).step()) {
            throw new IllegalArgumentException(
                    "step must increase, found "
                            + step
                            + " after "
                            + points.get(points.size() - 1).step());
        }
        points.add(new TracePoint(step, targetSparsity, achievedSparsity));
    }

    /** The samples so far, in step order (an immutable copy). */
    public List<TracePoint> points() {
        return List.copyOf(points);
    }
}
