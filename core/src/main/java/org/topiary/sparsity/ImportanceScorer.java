package org.topiary.sparsity;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.mask.MagnitudeScorer;
import org.topiary.sparsity.mask.RandomScorer;

/**
 * What matters: a score per weight; lower scores are pruned first. Implementations are pure and
 * return a new array of the weights' shape.
 */
public interface ImportanceScorer {

    /** Scores for {@code tensor} at {@code step}; same shape as {@code tensor.weights()}. */
    INDArray score(PrunableTensor tensor, long step);

    /** Stable type id used in Topiary's JSON. */
    String typeId();

    /** |w|: magnitude pruning. Scores are comparable across tensors, so it supports global scope. */
    static ImportanceScorer magnitude() {
        return MagnitudeScorer.INSTANCE;
    }

    /**
     * Uniform random scores, a baseline. Deterministic in {@code (seed, tensor id, step)}.
     */
    static ImportanceScorer random(long seed) {
        return new RandomScorer(seed);
    }
}
