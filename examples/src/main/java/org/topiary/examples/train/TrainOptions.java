package org.topiary.examples.train;

/**
 * How long and with which batches to train.
 *
 * @param epochs passes over the training set, {@code >= 1}
 * @param batchSize examples per optimizer step, {@code >= 1} (128 in every protocol)
 * @param seed seed for initialisation and shuffling
 */
public record TrainOptions(int epochs, int batchSize, long seed) {

    /** Batch size of the benchmark protocols. */
    public static final int PROTOCOL_BATCH_SIZE = 128;

    /** Validates the components. */
    public TrainOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
    }

    /**
     * Options with the protocol batch size (128).
     *
     * @param epochs passes over the training set
     * @param seed seed for initialisation and shuffling
     * @return the options
     */
    public static TrainOptions of(int epochs, long seed) {
        return new TrainOptions(epochs, PROTOCOL_BATCH_SIZE, seed);
    }

    /** Optimizer steps per epoch for {@code trainSize} examples: {@code ceil(trainSize / batchSize)}. */
    public int stepsPerEpoch(int trainSize) {
        return (trainSize + batchSize - 1) / batchSize;
    }
}
