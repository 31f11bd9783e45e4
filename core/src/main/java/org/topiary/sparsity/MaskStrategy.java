package org.topiary.sparsity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.mask.LowestScoreMask;

/**
 * How to mask: turns scores into a BOOL mask ({@code true} = kept) of the scores' shape. Pure: no
 * side effects on its arguments.
 *
 * <p><b>Monotone unless stated.</b> An entry pruned in {@code previousMask} stays pruned unless
 * the strategy {@link #allowsRegrowth()} (opt in by name, e.g. {@link
 * #lowestScoresWithRegrowth()}).
 */
public interface MaskStrategy {

    /**
     * A mask that prunes exactly {@code numPruned} entries, or the previously pruned count if that is
     * larger and regrowth is not allowed.
     *
     * @param scores importance scores, lower is pruned first
     * @param previousMask the current mask, or {@code null} when nothing is pruned yet
     * @param numPruned how many entries to prune, in {@code [0, scores.length())}
     */
    INDArray computeMask(INDArray scores, INDArray previousMask, long numPruned);

    /**
     * Like {@link #computeMask(INDArray, INDArray, long)}, reusing {@code workspace}'s arrays where
     * the strategy can (the result is the same). The default ignores the workspace.
     */
    default INDArray computeMask(INDArray scores, INDArray previousMask, long numPruned, MaskWorkspace workspace) {
        return computeMask(scores, previousMask, numPruned);
    }

    /**
     * A mask at {@code sparsity}: prunes {@code k = round(sparsity * n)} entries (half rounds up),
     * never all of them (at least one entry is kept).
     */
    default INDArray computeMask(INDArray scores, INDArray previousMask, double sparsity) {
        return computeMask(scores, previousMask, countFor(sparsity, scores.length()));
    }

    /** Whether entries pruned in the previous mask may come back. */
    boolean allowsRegrowth();

    /** Stable type id used in Topiary's JSON. */
    String typeId();

    /**
     * Number of entries pruned at {@code sparsity} in a tensor of {@code n}: {@code round(s * n)},
     * capped at {@code n - 1} so that at least one entry is kept.
     */
    static long countFor(double sparsity, long n) {
        Checks.inHalfOpenRange("sparsity", sparsity, 0.0, 1.0);
        return Math.min(Math.round(sparsity * n), Math.max(0, n - 1));
    }

    /**
     * Prunes the entries with the lowest scores; ties go to the lower flat (C-order) index first.
     * Monotone.
     */
    static MaskStrategy lowestScores() {
        return LowestScoreMask.MONOTONE;
    }

    /** Like {@link #lowestScores()} but pruned entries may regrow when their scores rise. */
    static MaskStrategy lowestScoresWithRegrowth() {
        return LowestScoreMask.WITH_REGROWTH;
    }
}
