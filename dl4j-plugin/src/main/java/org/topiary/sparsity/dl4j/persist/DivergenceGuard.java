package org.topiary.sparsity.dl4j.persist;

import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Checks;

/**
 * Stops training with a {@link TrainingDivergedException} as soon as the score or a parameter is
 * NaN or infinite, naming the step and the param (with its layer), so that no later listener
 * (mask update, checkpoint) works on broken weights.
 *
 * <p><b>Hook:</b> {@code iterationDone}, after the update of step {@code iteration + 1}. Add it
 * <em>first</em>, before the {@code PruningListener} and the {@link Checkpointer}; DL4J calls
 * listeners in the order they were added. The cost is one sum over the params per checked step
 * (a per-param scan only when the sum is not finite).
 */
public final class DivergenceGuard extends BaseTrainingListener {
    private final long every;

    private DivergenceGuard(long every) {
        this.every = Checks.positive("every", every);
    }

    /** Checks after every step. */
    public static DivergenceGuard create() {
        return new DivergenceGuard(1);
    }

    /** Checks after every {@code every}-th step. */
    public static DivergenceGuard every(long every) {
        return new DivergenceGuard(every);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long step = iteration + 1L;
        if (step % every == 0) {
            check(model, step);
        }
    }

    /**
     * Throws if the score or any param of {@code model} is not finite.
     *
     * @throws TrainingDivergedException naming the step and the score or param
     */
    public static void check(Model model, long step) {
        double score = model.score();
        if (!Double.isFinite(score)) {
            throw new TrainingDivergedException(
                    step, "score", String.format(Locale.ROOT,
                            "training diverged at step %d: the score is %s. %s", step, score, ADVICE));
        }
        INDArray params = model.params();
        if (params == null || Double.isFinite(params.sumNumber().doubleValue())) {
            return;
        }
        for (Map.Entry<String, INDArray> e : model.paramTable().entrySet()) {
            INDArray p = e.getValue();
            long nan = p.isNaN().castTo(DataType.INT32).sumNumber().longValue();
            long inf = p.isInfinite().castTo(DataType.INT32).sumNumber().longValue();
            if (nan > 0 || inf > 0) {
                throw new TrainingDivergedException(
                        step, e.getKey(), String.format(Locale.ROOT,
                                "training diverged at step %d: param '%s' (%s) has %d NaN and %d infinite values. %s",
                                step, e.getKey(), layerOf(model, e.getKey()), nan, inf, ADVICE));
            }
        }
    }

    private static final String ADVICE =
            "Lower the learning rate or add gradient clipping (gradientNormalization), then resume from the"
                    + " last checkpoint (Checkpoints.latest(dir)); checkpoints are never written from a diverged model";

    private static String layerOf(Model model, String paramId) {
        try {
            if (model instanceof MultiLayerNetwork n) {
                int idx = Integer.parseInt(paramId.substring(0, paramId.indexOf('_')));
                return "layer " + idx + ", " + n.getLayer(idx).conf().getLayer().getClass().getSimpleName();
            }
            if (model instanceof ComputationGraph g) {
                String name = paramId.substring(0, paramId.lastIndexOf('_'));
                return "layer '" + name + "', " + g.getLayer(name).conf().getLayer().getClass().getSimpleName();
            }
        } catch (RuntimeException e) {
            // fall through: describe by id only
        }
        return "layer unknown";
    }
}
