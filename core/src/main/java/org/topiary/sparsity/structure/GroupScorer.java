package org.topiary.sparsity.structure;

import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What matters for structured pruning: one score per group of a {@link GroupLayout}, summed over
 * its scored tensors; lower scores are removed first. Implementations are immutable.
 */
public interface GroupScorer {

    /**
     * Scores of the {@code layout.groupCount()} groups at {@code step}.
     *
     * @param weights the live weights by tensor id
     * @param taylor accumulated {@code |w·g|} since the last mask update; only {@link
     *     #needsGradients()} scorers read it (it may be {@code null} for the others)
     */
    double[] score(GroupLayout layout, Function<String, INDArray> weights, TaylorAccumulator taylor, long step);

    /** Whether the training loop must feed a {@link TaylorAccumulator} (costs one pass per step). */
    default boolean needsGradients() {
        return false;
    }

    /** Stable type id used in Topiary's JSON. */
    String typeId();

    /** L1 norm of the group's weights, {@code Σ|w|}. */
    static GroupScorer l1() {
        return NormGroupScorer.L1;
    }

    /** L2 norm of the group's weights, {@code sqrt(Σ w²)}. */
    static GroupScorer l2() {
        return NormGroupScorer.L2;
    }

    /**
     * First-order Taylor importance: {@code Σ_steps Σ_{i∈group} |w_i · g_i|}, the gradients
     * {@code g} and weights {@code w} of every training step since the previous mask update
     * (Molchanov et al., "Importance Estimation for Neural Network Pruning", CVPR 2019, uses the
     * squared group sum; this is the per-weight variant, which needs no cross-term bookkeeping).
     * Before any gradient is seen every group scores 0 and the tie-break (lower index) decides.
     */
    static GroupScorer taylor() {
        return TaylorGroupScorer.INSTANCE;
    }

    /** Uniform random scores, a baseline; deterministic in {@code (seed, layout name, step)}. */
    static GroupScorer random(long seed) {
        return new RandomGroupScorer(seed);
    }
}
