package org.topiary.sparsity.auto;

import java.util.List;
import java.util.Map;

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
     * The allocation for {@code globalSparsity} from a pruned <em>operating point</em>: each curve
     * was measured on a model where tensor {@code l} already has {@code p_l} weights pruned, and
     * describes pruning <em>further</em>, i.e. its {@code size()} is the tensor's survivors {@code
     * m_l = n_l - p_l} and its grid is fractions of them (see {@code
     * SensitivityAnalysis.Builder#optSurvivors} in the DL4J plugin). The result is in full-tensor
     * terms: {@code c_l = p_l + e_l} pruned of {@code n_l}, {@code Σ c_l = round(S · Σ n_l)} exactly,
     * {@code e_l <= } the curve's last grid count {@code <= m_l - 1}, so every tensor only loses
     * weights from the operating point and keeps at least one. The predicted drop is relative to
     * the operating point's metric.
     *
     * @param survivorCurves one curve per tensor, distinct ids, sizes = survivors
     * @param sizes full size {@code n_l} of every tensor, keyed by the curves' ids (same set)
     * @param globalSparsity the overall target {@code S} in [0, 1), at least the operating point's
     * @throws IllegalArgumentException for bad input, a target below the operating point's sparsity,
     *     or one that needs more than the grids measured
     */
    Allocation allocateBeyond(List<SensitivityCurve> survivorCurves, Map<String, Long> sizes, double globalSparsity);

    /**
     * Smallest predicted metric drop: greedy marginal cost over the lower convex hulls of the
     * monotone piecewise-linear curves; exact for convex curves (the algorithm is documented on the
     * implementation, {@code MinimumDropAllocator}).
     */
    static SparsityAllocator minimizeLoss() {
        return MinimumDropAllocator.INSTANCE;
    }
}
