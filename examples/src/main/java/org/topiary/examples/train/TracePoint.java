package org.topiary.examples.train;

/**
 * One sample of a sparsity schedule during training.
 *
 * @param step optimizer updates completed when the sample was taken, {@code >= 0}
 * @param targetSparsity the schedule's target fraction of zero weights, in {@code [0, 1]}
 * @param achievedSparsity the measured fraction of prunable weights exactly zero, in {@code [0, 1]}
 */
public record TracePoint(long step, double targetSparsity, double achievedSparsity) {

    /** Validates the components. */
    public TracePoint {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        if (!(targetSparsity >= 0 && targetSparsity <= 1)) {
            throw new IllegalArgumentException(
                    "targetSparsity must be in [0, 1], found " + targetSparsity);
        }
        if (!(achievedSparsity >= 0 && achievedSparsity <= 1)) {
            throw new IllegalArgumentException(
                    "achievedSparsity must be in [0, 1], found " + achievedSparsity);
        }
    }
}
