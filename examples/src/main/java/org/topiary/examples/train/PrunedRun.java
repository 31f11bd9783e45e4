package org.topiary.examples.train;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.persist.PrunedModels;

/**
 * A run that prunes with the plugin's {@link PruningListener}: attaches the listener, records the
 * schedule and the achieved sparsity every 100 steps for the report, and saves the model with its
 * pruning state (masks, config, history) so {@code topiary inspect} shows it and training can
 * resume.
 */
public final class PrunedRun {
    /** Steps between sparsity samples for the report's schedule chart. */
    static final int TRACE_INTERVAL = 100;

    private PrunedRun() {}

    /**
     * A pruned run.
     *
     * @param name run name
     * @param model builds the network
     * @param config the pruning configuration, from the run's context (steps per epoch, epochs)
     * @return the run spec
     */
    public static RunSpec of(String name, ModelFactory model, Function<RunContext, PruningConfig> config) {
        AtomicReference<PruningListener> pruning = new AtomicReference<>();
        ListenerFactory listeners =
                ctx -> {
                    PruningConfig c = config.apply(ctx);
                    PruningListener p = PruningListener.attach(ctx.model(), c);
                    pruning.set(p);
                    return List.of(p, SparsityTraceListener.every(TRACE_INTERVAL, c.schedule()::sparsityAt, ctx));
                };
        ModelWriter writer = (net, file) -> PrunedModels.save(net, pruning.get().state(), file);
        return RunSpec.of(name, model).withListeners(listeners).withWriter(writer);
    }
}
