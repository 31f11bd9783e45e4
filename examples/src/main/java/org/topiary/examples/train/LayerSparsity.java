package org.topiary.examples.train;

import java.util.List;
import java.util.Objects;

/**
 * Sparsity of one prunable weight parameter.
 *
 * @param param the network's parameter key, e.g. {@code "0_W"}
 * @param layerName the layer's name, e.g. {@code "fc1"} (its index if unnamed)
 * @param layerType the layer configuration class, e.g. {@code "DenseLayer"}
 * @param shape the parameter's shape, e.g. {@code [784, 300]}
 * @param nonzero entries that are not exactly zero, in {@code [0, size()]}
 */
public record LayerSparsity(
        String param, String layerName, String layerType, List<Long> shape, long nonzero) {

    /** Validates the components and copies the shape. */
    public LayerSparsity {
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(layerName, "layerName");
        Objects.requireNonNull(layerType, "layerType");
        shape = List.copyOf(shape);
        if (shape.isEmpty() || shape.stream().anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException(
                    "shape of " + param + " must have positive dimensions, found " + shape);
        }
        long size = shape.stream().reduce(1L, Math::multiplyExact);
        if (nonzero < 0 || nonzero > size) {
            throw new IllegalArgumentException(
                    "nonzero of " + param + " must be in [0, " + size + "], found " + nonzero);
        }
    }

    /** Number of entries. */
    public long size() {
        return shape.stream().reduce(1L, Math::multiplyExact);
    }

    /** Fraction of entries exactly zero. */
    public double sparsity() {
        return 1.0 - nonzero / (double) size();
    }
}
