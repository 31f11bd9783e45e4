package org.topiary.examples.train;

import java.util.List;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Creates the extra DL4J listeners of one run (a pruning listener, a {@link
 * SparsityTraceListener}, ...). Called once per run, after the network is built and before
 * training. The factory may also attach listeners to {@code context.model()} itself (as {@code
 * PruningListener.attach} does); those run first and are not added twice. Listeners run in list
 * order, before the trainer's own progress listener.
 */
@FunctionalInterface
public interface ListenerFactory {

    /**
     * Creates the listeners.
     *
     * @param context the run's network, length and trace
     * @return listeners to attach (may be empty, never {@code null})
     */
    List<TrainingListener> create(RunContext context);

    /** No extra listeners: plain dense training. */
    static ListenerFactory none() {
        return context -> List.of();
    }
}
