package org.topiary.sparsity.auto;

import java.util.List;

/**
 * Chooses per-tensor sparsities from {@link SensitivityCurve}s so that the tensors together meet
 * a global target exactly in weight counts: {@code Σ_l c_l = round(S · Σ_l n_l)}, each tensor
 * keeping at least one weight and never pruned beyond its last measured grid point.
 */
public interface SparsityAllocator {

    /**
     * The allocation for {@code globalSparsity}.
     *
     * @param curves one curve per tensor, distinct tensor ids, not empty
     * @param globalSparsity the overall target {@code S} in [0, 1)
     * @throws IllegalArgumentException for bad input, or when the target needs more pruning than
     *     the grids measured (the message says which sparsity the grids reach)
     */
    Allocation allocate(List<SensitivityCurve> curves, double globalSparsity);

    /**
     * Smallest predicted metric drop: greedy marginal cost over the lower convex hulls of the
     * monotone piecewise-linear curves; exact for convex curves (the algorithm is documented on the
     * implementation, {@code MinimumDropAllocator}).
     */
    static SparsityAllocator minimizeLoss() {
        return MinimumDropAllocator.INSTANCE;
    }
}
