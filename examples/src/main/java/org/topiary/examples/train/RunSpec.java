package org.topiary.examples.train;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One run of a command: a name, how to build the network, and which extra listeners to attach.
 *
 * <p>Examples:
 *
 * <pre>{@code
 * RunSpec.of("dense", ModelZoo::lenet300100)
 * RunSpec.of("gmp-90", ModelZoo::lenet300100)
 *        .withListeners(ctx -> List.of(pruning, SparsityTraceListener.every(100, target, ctx)))
 * }</pre>
 *
 * @param name run name: lower-case letters, digits, {@code .}, {@code _} and {@code -} (it names
 *     the model file)
 * @param model builds the network from the seed
 * @param listeners builds the run's extra listeners
 * @param writer writes the trained model file (default: {@link ModelWriter#plain()})
 */
public record RunSpec(String name, ModelFactory model, ListenerFactory listeners, ModelWriter writer) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** Validates the components. */
    public RunSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "name must match "
                            + NAME.pattern()
                            + " (it names the model file), found '"
                            + name
                            + "'");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(writer, "writer");
    }

    /**
     * A run without extra listeners.
     *
     * @param name run name
     * @param model builds the network
     * @return the spec
     */
    public static RunSpec of(String name, ModelFactory model) {
        return new RunSpec(name, model, ListenerFactory.none(), ModelWriter.plain());
    }

    /**
     * A copy of this spec with other listeners.
     *
     * @param factory builds the run's extra listeners
     * @return the new spec
     */
    public RunSpec withListeners(ListenerFactory factory) {
        return new RunSpec(name, model, factory, writer);
    }

    /**
     * A copy of this spec that writes its model file with {@code writer}.
     *
     * @param writer writes the trained model
     * @return the new spec
     */
    public RunSpec withWriter(ModelWriter writer) {
        return new RunSpec(name, model, listeners, writer);
    }
}
