package org.topiary.sparsity.structure;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.sparsity.internal.Checks;

/**
 * Running sum of {@code |w ⊙ g|} per tensor over the training steps since the last {@link
 * #reset()}: the evidence of the first-order Taylor group score ({@link GroupScorer#taylor()}).
 * {@code g} is the loss gradient of a step (as the framework computes it for the mini-batch, before
 * the updater) and {@code w} the weights it was computed at. Mutable, not thread-safe: one
 * accumulator per training loop.
 */
public final class TaylorAccumulator {
    private final Map<String, INDArray> sums = new LinkedHashMap<>();
    private long steps;

    /** An empty accumulator. */
    public TaylorAccumulator() {}

    /** Adds {@code |weights ⊙ gradients|} to the sum of tensor {@code id} (same shapes). */
    public void add(String id, INDArray weights, INDArray gradients) {
        Checks.notNull("id", id);
        Checks.isTrue(
                Arrays.equals(weights.shape(), gradients.shape()),
                "weights and gradients of '%s' must have the same shape, found %s and %s",
                id,
                Arrays.toString(weights.shape()),
                Arrays.toString(gradients.shape()));
        INDArray term = Transforms.abs(weights.mul(gradients), false);
        INDArray sum = sums.get(id);
        if (sum == null) {
            sums.put(id, term.dup('c'));
        } else {
            sum.addi(term);
        }
    }

    /** Marks the end of one training step (counted for reporting only). */
    public void endStep() {
        steps++;
    }

    /** The sum of tensor {@code id}, or {@code null} when none was added since the last reset. */
    public INDArray get(String id) {
        return sums.get(id);
    }

    /** All sums by tensor id (read-only view). */
    public Map<String, INDArray> sums() {
        return Collections.unmodifiableMap(sums);
    }

    /** Steps ended since the last reset. */
    public long steps() {
        return steps;
    }

    /** Forgets every sum (called after each mask update). */
    public void reset() {
        sums.clear();
        steps = 0;
    }
}
