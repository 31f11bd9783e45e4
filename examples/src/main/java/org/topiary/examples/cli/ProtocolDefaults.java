package org.topiary.examples.cli;

import java.util.Map;

/**
 * The defaults every training and benchmark command shares: {@value #EPOCHS} epochs, the length
 * of the benchmark protocols (DESIGN.md). Name it in {@code @Command(defaultValueProvider =
 * ProtocolDefaults.class)}.
 */
public final class ProtocolDefaults extends CommandDefaults {

    /** Default epochs: the FMNIST protocols train for 10. */
    public static final String EPOCHS = "10";

    /** Creates the provider. */
    public ProtocolDefaults() {
        super(Map.of("--epochs", EPOCHS));
    }
}
