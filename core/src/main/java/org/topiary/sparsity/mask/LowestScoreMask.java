package org.topiary.sparsity.mask;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.MaskWorkspace;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.internal.ScoreOrder;

/**
 * Prunes the {@code k} entries with the lowest scores. Ties at the threshold go to the lower flat
 * C-order index first, so the result is deterministic and the count is exact. In the monotone
 * variant previously pruned entries sort before every score and stay pruned; the count is then
 * {@code max(k, previously pruned)}. JSON: {@code {"type": "lowest-score"}} or {@code {"type":
 * "lowest-score-regrow"}}.
 */
public final class LowestScoreMask implements MaskStrategy {
    /** Type id of the monotone variant. */
    public static final String TYPE = "lowest-score";

    /** Type id of the variant that lets pruned entries regrow. */
    public static final String TYPE_REGROW = "lowest-score-regrow";

    /** Monotone: a pruned entry never comes back. */
    public static final LowestScoreMask MONOTONE = new LowestScoreMask(false);

    /** Pruned entries may come back when their score rises. */
    public static final LowestScoreMask WITH_REGROWTH = new LowestScoreMask(true);

    private final boolean regrowth;

    private LowestScoreMask(boolean regrowth) {
        this.regrowth = regrowth;
    }

    @Override
    public INDArray computeMask(INDArray scores, INDArray previousMask, long numPruned) {
        return computeMask(scores, previousMask, numPruned, MaskWorkspace.create());
    }

    /** One int and one byte array per tensor size from {@code workspace} (slot 0), no other Java arrays. */
    @Override
    public INDArray computeMask(INDArray scores, INDArray previousMask, long numPruned, MaskWorkspace workspace) {
        long n = scores.length();
        Checks.isTrue(n <= ScoreOrder.MAX_ELEMENTS, "tensor too large to order: %d elements", n);
        Checks.isTrue(
                numPruned >= 0 && numPruned < Math.max(1, n),
                "numPruned must be in [0, %d), found %d",
                n,
                numPruned);
        int length = (int) n;
        byte[] kept = workspace.bytes(0, length);
        byte[] previous = regrowth || previousMask == null ? null : Arrays4j.keptBytesC(previousMask, kept);
        long previouslyPruned = previous == null ? 0 : Arrays4j.countZeros(previous);
        long k = Math.max(numPruned, previouslyPruned);
        int[][] values = {ScoreOrder.sortableValues(scores, previous, "scores", workspace.ints(0, length))};
        // the previous bytes are consumed by sortableValues, so the kept bytes may overwrite them
        ScoreOrder.cutSmallest(values, k, workspace.zeroedHistogram()).keptBytes(values, new byte[][] {kept});
        return Arrays4j.boolMask(kept, scores.shape());
    }

    @Override
    public boolean allowsRegrowth() {
        return regrowth;
    }

    @Override
    public String typeId() {
        return regrowth ? TYPE_REGROW : TYPE;
    }

    @Override
    public String toString() {
        return typeId();
    }
}
