package org.topiary.examples.train;

/**
 * What one epoch of training produced.
 *
 * @param epoch 1-based epoch number
 * @param meanLoss mean training loss (score) over the epoch's steps
 * @param testAccuracy test accuracy after the epoch, a fraction in {@code [0, 1]}
 * @param trainSeconds wall time of the epoch's {@code fit}, excluding evaluation
 * @param examples training examples processed
 */
public record EpochStats(
        int epoch, double meanLoss, double testAccuracy, double trainSeconds, long examples) {

    /** Validates the components. */
    public EpochStats {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, found " + epoch);
        }
        if (!(testAccuracy >= 0 && testAccuracy <= 1)) {
            throw new IllegalArgumentException(
                    "testAccuracy must be in [0, 1], found " + testAccuracy);
        }
        if (!(trainSeconds >= 0)) {
            throw new IllegalArgumentException("trainSeconds must be >= 0, found " + trainSeconds);
        }
        if (examples < 0) {
            throw new IllegalArgumentException("examples must be >= 0, found " + examples);
        }
    }

    /** Training throughput of this epoch; 0 if no time was measured. */
    public double examplesPerSecond() {
        return trainSeconds > 0 ? examples / trainSeconds : 0;
    }
}
