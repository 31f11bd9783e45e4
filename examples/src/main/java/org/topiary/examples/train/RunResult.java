package org.topiary.examples.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one training run produced; every number of the results table and the JSON output.
 *
 * @param name the run's name
 * @param seed seed for initialisation and shuffling
 * @param batchSize examples per optimizer step
 * @param epochs per-epoch statistics, in order (at least one)
 * @param weights sparsity of the final network
 * @param modelFile the saved model ({@code ModelSerializer} zip, without updater state)
 * @param modelFileBytes size of {@code modelFile} in bytes
 * @param trace sparsity samples over steps (empty when nothing recorded them)
 */
public record RunResult(
        String name,
        long seed,
        int batchSize,
        List<EpochStats> epochs,
        SparsityReport weights,
        Path modelFile,
        long modelFileBytes,
        List<TracePoint> trace) {

    /** Validates the components and copies the lists. */
    public RunResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(modelFile, "modelFile");
        epochs = List.copyOf(epochs);
        trace = List.copyOf(trace);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("epochs of run '" + name + "' must not be empty");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        if (modelFileBytes < 0) {
            throw new IllegalArgumentException(
                    "modelFileBytes must be >= 0, found " + modelFileBytes);
        }
    }

    /** Number of epochs trained. */
    public int epochCount() {
        return epochs.size();
    }

    /** Test accuracy after the last epoch, a fraction in {@code [0, 1]}. */
    public double testAccuracy() {
        return epochs.get(epochs.size() - 1).testAccuracy();
    }

    /** Fraction of prunable weights exactly zero in the final network. */
    public double sparsity() {
        return weights.sparsity();
    }

    /** Parameters (all kinds) that are not exactly zero. */
    public long nonzeroParams() {
        return weights.nonzeroParams();
    }

    /** Training wall time over all epochs, excluding evaluation, in seconds. */
    public double trainSeconds() {
        return epochs.stream().mapToDouble(EpochStats::trainSeconds).sum();
    }

    /** Training examples processed per second of training time. */
    public double examplesPerSecond() {
        double seconds = trainSeconds();
        long examples = epochs.stream().mapToLong(EpochStats::examples).sum();
        return seconds > 0 ? examples / seconds : 0;
    }
}
