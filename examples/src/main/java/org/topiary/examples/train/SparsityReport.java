package org.topiary.examples.train;

import java.util.List;

/**
 * Sparsity of a network: per prunable weight parameter, plus counts over all parameters.
 *
 * @param layers every prunable weight parameter, in network order
 * @param totalParams all parameters of the network (weights, biases, everything)
 * @param nonzeroParams parameters that are not exactly zero, over all parameters
 */
public record SparsityReport(List<LayerSparsity> layers, long totalParams, long nonzeroParams) {

    /** Validates the components and copies the list. */
    public SparsityReport {
        layers = List.copyOf(layers);
        if (totalParams < 0 || nonzeroParams < 0 || nonzeroParams > totalParams) {
            throw new IllegalArgumentException(
                    "need 0 <= nonzeroParams <= totalParams, found nonzeroParams="
                            + nonzeroParams
                            + ", totalParams="
                            + totalParams);
        }
    }

    /** Number of prunable weights. */
    public long weightCount() {
        return layers.stream().mapToLong(LayerSparsity::size).sum();
    }

    /** Prunable weights that are not exactly zero. */
    public long nonzeroWeights() {
        return layers.stream().mapToLong(LayerSparsity::nonzero).sum();
    }

    /** Fraction of prunable weights that are exactly zero (0 if there are none). */
    public double sparsity() {
        long count = weightCount();
        return count == 0 ? 0.0 : 1.0 - nonzeroWeights() / (double) count;
    }
}
