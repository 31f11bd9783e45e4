package org.topiary.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code --begin-epoch} and {@code --end-epoch} of the benchmarks that follow the FMNIST-GMP
 * schedule (DESIGN.md): masks change from the end of epoch {@code begin} to the end of epoch
 * {@code end}, with {@link #BATCH_SIZE} examples per step and a mask update every {@link
 * #FREQUENCY} steps. Mix it in with {@code @Mixin GmpWindowOptions window;}; the benchmark's own
 * {@code Options} validates the window.
 */
public final class GmpWindowOptions {

    /** Minibatch size of the FMNIST-GMP protocol. */
    static final int BATCH_SIZE = 128;

    /** Steps between mask updates in the FMNIST-GMP protocol. */
    static final int FREQUENCY = 100;

    @Option(names = "--begin-epoch", defaultValue = "1", paramLabel = "E", description = "Default: ${DEFAULT-VALUE}.")
    private int beginEpoch;

    @Option(names = "--end-epoch", defaultValue = "7", paramLabel = "E", description = "Default: ${DEFAULT-VALUE}.")
    private int endEpoch;

    /** Creates the options; picocli fills them. */
    public GmpWindowOptions() {}

    /** Value of {@code --begin-epoch}: pruning starts at the end of this epoch. */
    public int beginEpoch() {
        return beginEpoch;
    }

    /** Value of {@code --end-epoch}: the final sparsity is reached at the end of this epoch. */
    public int endEpoch() {
        return endEpoch;
    }
}
