package org.topiary.examples.train;

import java.util.Objects;
import java.util.function.LongToDoubleFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Samples a sparsity schedule and the achieved weight sparsity during training and records them in
 * the run's {@link SparsityTrace}, for the report's schedule plot.
 *
 * <p>Hook: {@code iterationDone}, which DL4J calls after the parameter update of each step with
 * the pre-increment iteration count {@code i}; the sample is recorded with {@code step = i + 1},
 * the number of updates completed. Samples are taken at step 1, every {@code interval} steps and
 * at the last step of the run. Put this listener <em>after</em> the pruning listener, so that the
 * achieved sparsity reflects this step's masks. Measuring costs one non-zero count over all
 * weights.
 */
public final class SparsityTraceListener extends BaseTrainingListener {

    private final int interval;
    private final LongToDoubleFunction target;
    private final long lastStep;
    private final SparsityTrace trace;

    private SparsityTraceListener(
            int interval, LongToDoubleFunction target, long lastStep, SparsityTrace trace) {
        this.interval = interval;
        this.target = target;
        this.lastStep = lastStep;
        this.trace = trace;
    }

    /**
     * Samples every {@code interval} steps.
     *
     * @param interval steps between samples, {@code >= 1}
     * @param target the schedule: target sparsity after a given number of updates
     * @param context the run whose trace to fill
     * @return the listener
     */
    public static SparsityTraceListener every(
            int interval, LongToDoubleFunction target, RunContext context) {
        if (interval < 1) {
            throw new IllegalArgumentException("interval must be >= 1, found " + interval);
        }
        Objects.requireNonNull(target, "target");
        return new SparsityTraceListener(
                interval, target, context.totalSteps(), context.trace());
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long step = iteration + 1L;
        if (step == 1 || step % interval == 0 || step == lastStep) {
            double achieved = WeightSparsity.measure((MultiLayerNetwork) model).sparsity();
            trace.record(step, target.applyAsDouble(step), achieved);
        }
    }
}
