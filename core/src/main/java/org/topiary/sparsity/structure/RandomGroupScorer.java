package org.topiary.sparsity.structure;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Uniform random group scores in [0, 1), the random-pruning baseline; deterministic in {@code
 * (seed, layout name, step)}. JSON: {@code {"type": "random", "seed": 1}}.
 *
 * @param seed random seed
 */
public record RandomGroupScorer(long seed) implements GroupScorer {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "random";

    @Override
    public double[] score(GroupLayout layout, Function<String, INDArray> weights, TaylorAccumulator taylor, long step) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + layout.name().hashCode() * 31L + step);
        double[] s = new double[layout.groupCount()];
        for (int g = 0; g < s.length; g++) {
            s[g] = rng.nextDouble();
        }
        return s;
    }

    @Override
    public String typeId() {
        return TYPE;
    }
}
