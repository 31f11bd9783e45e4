package org.topiary.examples.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Per-command defaults of the {@link CommonOptions}, by long option name. Subclass with a no-arg
 * constructor and name it in {@code @Command(defaultValueProvider = ...)}; picocli then shows the
 * value as {@code ${DEFAULT-VALUE}} in the help.
 */
public abstract class CommandDefaults implements IDefaultValueProvider {

    private final Map<String, String> defaults;

    /**
     * Creates the provider.
     *
     * @param defaults default values keyed by option name, e.g. {@code Map.of("--epochs", "3")}
     */
    protected CommandDefaults(Map<String, String> defaults) {
        this.defaults = Map.copyOf(defaults);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option) {
            return defaults.get(option.longestName());
        }
        return null;
    }
}
