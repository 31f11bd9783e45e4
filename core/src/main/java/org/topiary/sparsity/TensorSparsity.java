package org.topiary.sparsity;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;

/**
 * Measured sparsity of one tensor: exact zeros in the weights, not what a mask claims.
 *
 * @param id the tensor id, e.g. {@code "0_W"}
 * @param shape the tensor's shape
 * @param size number of elements
 * @param nonZeros elements that are not exactly 0.0
 * @param maskBytes bytes the mask of this tensor holds in memory (0 when it has none)
 */
public record TensorSparsity(String id, List<Long> shape, long size, long nonZeros, long maskBytes) {

    public TensorSparsity {
        Checks.notNull("id", id);
        shape = List.copyOf(shape);
        Checks.nonNegative("size", size);
        Checks.isTrue(
                nonZeros >= 0 && nonZeros <= size,
                "nonZeros must be in [0, %d], found %d",
                size,
                nonZeros);
        Checks.nonNegative("maskBytes", maskBytes);
    }

    /** Measures {@code weights}; {@code mask} (BOOL) only contributes its size in bytes. */
    public static TensorSparsity measure(String id, INDArray weights, INDArray mask) {
        long maskBytes = mask == null ? 0 : mask.length() * mask.dataType().width();
        List<Long> shape = java.util.Arrays.stream(weights.shape()).boxed().toList();
        return new TensorSparsity(
                id, shape, weights.length(), Arrays4j.countNonZero(weights), maskBytes);
    }

    /** Measures {@code weights}, recording {@code maskBytes} as the memory its mask(s) take. */
    public static TensorSparsity measure(String id, INDArray weights, long maskBytes) {
        List<Long> shape = java.util.Arrays.stream(weights.shape()).boxed().toList();
        return new TensorSparsity(id, shape, weights.length(), Arrays4j.countNonZero(weights), maskBytes);
    }

    /** Fraction of elements exactly zero. */
    public double sparsity() {
        return size == 0 ? 0.0 : (double) (size - nonZeros) / size;
    }

    /** Number of elements exactly zero. */
    public long zeros() {
        return size - nonZeros;
    }
}
