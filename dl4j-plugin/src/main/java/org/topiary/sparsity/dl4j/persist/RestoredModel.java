package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.internal.Checks;

/**
 * A model read by {@link PrunedModels#restore(Path)}: the DL4J model with its params, updater
 * state and iteration/epoch counts, plus the pruning state if the file has one. {@link
 * #resumePruning()} gives the listener that carries on where training stopped.
 */
public final class RestoredModel {
    private final Model model;
    private final PruningState state;
    private final Path file;

    RestoredModel(Model model, PruningState state, Path file) {
        this.model = model;
        this.state = state;
        this.file = file;
    }

    /** The restored MultiLayerNetwork or ComputationGraph. */
    public Model model() {
        return model;
    }

    /** The model as a MultiLayerNetwork; fails with the actual type otherwise. */
    public MultiLayerNetwork multiLayerNetwork() {
        Checks.state(model instanceof MultiLayerNetwork, "%s holds a %s, not a MultiLayerNetwork; use model() or computationGraph()", file, model.getClass().getSimpleName());
        return (MultiLayerNetwork) model;
    }

    /** The model as a ComputationGraph; fails with the actual type otherwise. */
    public ComputationGraph computationGraph() {
        Checks.state(model instanceof ComputationGraph, "%s holds a %s, not a ComputationGraph; use model() or multiLayerNetwork()", file, model.getClass().getSimpleName());
        return (ComputationGraph) model;
    }

    /** The pruning state saved with the model, if any. */
    public Optional<PruningState> state() {
        return Optional.ofNullable(state);
    }

    /** Completed optimizer updates when the model was saved (the next step is this + 1). */
    public long iteration() {
        return Dl4jModels.iterationCount(model);
    }

    /** Completed epochs when the model was saved. */
    public long epoch() {
        return Dl4jModels.epochCount(model);
    }

    /** The file it was read from. */
    public Path file() {
        return file;
    }

    /** {@link #resumePruning(PrunableParams)} with the default registry. */
    public PruningListener resumePruning() {
        return resumePruning(PrunableParams.defaults());
    }

    /**
     * A {@link PruningListener} that continues the saved schedule from {@link #iteration()},
     * already attached to {@link #model()}. Use the registry the run started with.
     *
     * @throws IllegalStateException when the file has no pruning state
     */
    public PruningListener resumePruning(PrunableParams registry) {
        Checks.state(
                state != null,
                "%s has no pruning state (it was saved without one); start pruning with PruningListener.attach(model, config)",
                file);
        return PruningListener.resume(state, registry).attachTo(model);
    }
}
