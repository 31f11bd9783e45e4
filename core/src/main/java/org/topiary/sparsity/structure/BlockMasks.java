package org.topiary.sparsity.structure;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;

/**
 * Block masks: the {@code [outputs, inputs]} matrix tiles into blocks of {@code rows} outputs ×
 * {@code cols} consecutive inputs; a block's score is the sum of its element scores (the L1 norm
 * for magnitude scores); the lowest-score blocks are removed, ties to the lower block index
 * (row-major over the block grid). Monotone: a removed block (all entries pruned in the previous
 * mask) stays removed unless regrowth is allowed.
 */
public final class BlockMasks {
    private BlockMasks() {}

    /** Checks that the blocks tile the tensor; the error names it. */
    public static void requireDivisible(MatrixView view, SparsityPattern.Blocks pattern) {
        Checks.isTrue(
                view.outputs() % pattern.rows() == 0 && view.inputs() % pattern.cols() == 0,
                "tensor '%s' (%d outputs x %d inputs) cannot be tiled into %s: both dimensions must be"
                        + " multiples of the block's. Exclude it (optExclude) or choose another block size",
                view.tensorId(),
                view.outputs(),
                view.inputs(),
                pattern);
    }

    /** Number of blocks of the tensor. */
    public static long blockCount(MatrixView view, SparsityPattern.Blocks pattern) {
        requireDivisible(view, pattern);
        return (view.outputs() / pattern.rows()) * (view.inputs() / pattern.cols());
    }

    /**
     * The mask (BOOL, the tensor's shape) with {@code removed} blocks pruned.
     *
     * @param scores element scores, the tensor's shape
     * @param previousMask the current mask or {@code null}
     * @param removed blocks to remove, in {@code [0, blockCount)}
     */
    public static INDArray mask(MatrixView view, SparsityPattern.Blocks pattern, INDArray scores, INDArray previousMask, long removed) {
        long count = blockCount(view, pattern);
        Checks.isTrue(removed >= 0 && removed < count, "removed must be in [0, %d), found %d", count, removed);
        int blocks = (int) count;
        long perRow = view.inputs() / pattern.cols();
        float[] s = Arrays4j.toFloatC(scores);
        boolean[] prev = previousMask == null ? null : Arrays4j.toBooleanC(previousMask, view.length());
        double[] score = new double[blocks];
        boolean[] removedBefore = prev == null ? null : new boolean[blocks];
        for (int b = 0; b < blocks; b++) {
            long o0 = (b / perRow) * pattern.rows();
            long i0 = (b % perRow) * pattern.cols();
            boolean anyKept = false;
            for (int r = 0; r < pattern.rows(); r++) {
                for (int c = 0; c < pattern.cols(); c++) {
                    int i = view.index(o0 + r, i0 + c);
                    score[b] += s[i];
                    if (prev != null && prev[i]) {
                        anyKept = true;
                    }
                }
            }
            if (removedBefore != null) {
                removedBefore[b] = !anyKept;
            }
        }
        boolean[] blockKept = LowestGroups.keep(score, removedBefore, removed, "tensor '" + view.tensorId() + "'");
        boolean[] kept = new boolean[(int) view.length()];
        for (int b = 0; b < blocks; b++) {
            long o0 = (b / perRow) * pattern.rows();
            long i0 = (b % perRow) * pattern.cols();
            for (int r = 0; r < pattern.rows(); r++) {
                for (int c = 0; c < pattern.cols(); c++) {
                    kept[view.index(o0 + r, i0 + c)] = blockKept[b];
                }
            }
        }
        return Arrays4j.boolMask(kept, view.shape());
    }
}
