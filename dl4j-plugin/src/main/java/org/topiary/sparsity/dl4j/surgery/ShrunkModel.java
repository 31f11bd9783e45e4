package org.topiary.sparsity.dl4j.surgery;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The result of {@link SurgeryPlan#apply()}: a new, standard DL4J model of the same kind as the
 * source (same layer types and settings, smaller {@code nIn}/{@code nOut}; fresh updater state,
 * iteration and epoch counts 0) and what changed.
 */
public final class ShrunkModel {
    private final Model model;
    private final ShrinkReport report;

    ShrunkModel(Model model, ShrinkReport report) {
        this.model = model;
        this.report = report;
    }

    /** The shrunk model, a MultiLayerNetwork or a ComputationGraph like the source. */
    public Model model() {
        return model;
    }

    /** The shrunk model as a MultiLayerNetwork; fails for a ComputationGraph. */
    public MultiLayerNetwork network() {
        if (!(model instanceof MultiLayerNetwork n)) {
            throw new IllegalStateException("the shrunk model is a ComputationGraph; call graph() or model()");
        }
        return n;
    }

    /** The shrunk model as a ComputationGraph; fails for a MultiLayerNetwork. */
    public ComputationGraph graph() {
        if (!(model instanceof ComputationGraph g)) {
            throw new IllegalStateException("the shrunk model is a MultiLayerNetwork; call network() or model()");
        }
        return g;
    }

    /** Parameter counts and units per layer before and after. */
    public ShrinkReport report() {
        return report;
    }
}
