package org.topiary.sparsity;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Checks;

/**
 * One weight tensor as the pruning math sees it: a stable id, the live weights and the current
 * mask.
 *
 * @param id stable id, e.g. DL4J's param key {@code "0_W"} or {@code "dense1_W"}
 * @param weights the weights (read only by the pruning math)
 * @param mask BOOL array of the weights' shape, {@code true} = kept; {@code null} = nothing pruned
 * @param finalSparsityOverride a per-tensor final target replacing the schedule's, or empty
 */
public record PrunableTensor(
        String id, INDArray weights, INDArray mask, OptionalDouble finalSparsityOverride) {

    public PrunableTensor {
        Checks.notNull("id", id);
        Checks.notNull("weights", weights);
        Checks.notNull("finalSparsityOverride", finalSparsityOverride);
        if (mask != null) {
            Checks.isTrue(
                    mask.dataType() == DataType.BOOL,
                    "mask of tensor '%s' must be a BOOL array, found %s",
                    id,
                    mask.dataType());
            Checks.isTrue(
                    Arrays.equals(mask.shape(), weights.shape()),
                    "mask of tensor '%s' has shape %s but the weights have shape %s",
                    id,
                    Arrays.toString(mask.shape()),
                    Arrays.toString(weights.shape()));
        }
        finalSparsityOverride.ifPresent(
                s -> Checks.inHalfOpenRange("override for '" + id + "'", s, 0.0, 1.0));
    }

    /** A tensor with no override. */
    public static PrunableTensor of(String id, INDArray weights, INDArray mask) {
        return new PrunableTensor(id, weights, mask, OptionalDouble.empty());
    }

    /** Number of elements. */
    public long length() {
        return weights.length();
    }
}
