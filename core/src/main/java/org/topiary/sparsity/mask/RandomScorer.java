package org.topiary.sparsity.mask;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.PrunableTensor;

/**
 * Uniform random scores in [0, 1): the random-pruning baseline. Deterministic in {@code (seed,
 * tensor id, step)}. JSON: {@code {"type": "random", "seed": 1}}.
 *
 * @param seed random seed
 */
public record RandomScorer(long seed) implements ImportanceScorer {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "random";

    @Override
    public INDArray score(PrunableTensor tensor, long step) {
        long mixed = seed * 0x9E37_79B9_7F4A_7C15L + tensor.id().hashCode() * 31L + step;
        SplittableRandom rng = new SplittableRandom(mixed);
        float[] values = new float[Math.toIntExact(tensor.length())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextDouble();
        }
        return Nd4j.create(values, tensor.weights().shape(), 'c');
    }

    @Override
    public String typeId() {
        return TYPE;
    }
}
