package org.topiary.examples.train;

import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What a {@link ListenerFactory} may use to build the listeners of one run.
 *
 * @param model the freshly initialised network of this run
 * @param seed the run's seed
 * @param epochs epochs the run will train
 * @param stepsPerEpoch optimizer steps per epoch ({@code ceil(trainSize / batchSize)})
 * @param trace where to record sparsity samples for the report
 */
public record RunContext(
        MultiLayerNetwork model, long seed, int epochs, int stepsPerEpoch, SparsityTrace trace) {

    /** Validates the components. */
    public RunContext {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trace, "trace");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
        }
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException(
                    "stepsPerEpoch must be >= 1, found " + stepsPerEpoch);
        }
    }

    /** Optimizer steps of the whole run. */
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }
}
