package org.topiary.sparsity.dl4j.persist;

import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.testkit.TestNets;

/**
 * A small pruning run whose every input is a pure function of (seed, step), so that an
 * interrupted and resumed run can be compared bit for bit with an uninterrupted one: the batch of
 * step {@code s} is generated from {@code new Random(seed * 1_000_003 + s)}, never from an iterator
 * position.
 */
final class Scenario {
    static final int TOTAL_STEPS = 30;

    private Scenario() {}

    /** Gradual pruning to 70% between steps 3 and 21, masks every 3 steps. */
    static PruningConfig config() {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, 0.7, 3, 21))
                .optWindow(new UpdateWindow(3, 21, 3))
                .build();
    }

    static Model newModel(TestNets.Arch arch, long seed) {
        return TestNets.build(arch, new Adam(0.02), true, seed).model();
    }

    /** The batch of step {@code step} (1-based: the batch whose update completes step {@code step}). */
    static DataSet batch(long seed, long step) {
        Random r = new Random(seed * 1_000_003L + step);
        int mb = 8;
        float[] x = new float[mb * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        INDArray y = Nd4j.zeros(DataType.FLOAT, mb, 3);
        for (int i = 0; i < mb; i++) {
            y.putScalar(i, r.nextInt(3), 1f);
        }
        return new DataSet(Nd4j.create(x, new long[] {mb, 10}, 'c'), y);
    }

    /** Fits steps {@code iterationCount + 1 ..= toStep}, one batch each. */
    static void trainTo(Model model, long seed, long toStep, long delayMillis) {
        for (long step = org.topiary.sparsity.dl4j.persist.internal.Dl4jModels.iterationCount(model) + 1; step <= toStep; step++) {
            DataSet b = batch(seed, step);
            if (model instanceof MultiLayerNetwork n) {
                n.fit(b);
            } else {
                ((ComputationGraph) model).fit(b);
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The params as raw float bits, for bit-exact comparison (+0.0 and -0.0 differ). */
    static int[] bits(Model model) {
        float[] f = model.params().dup().data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }
}
