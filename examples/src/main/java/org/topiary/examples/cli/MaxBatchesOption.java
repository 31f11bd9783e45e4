package org.topiary.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code --max-batches N} of the benchmarks that offer smoke runs: at most N minibatches per epoch
 * (0: all). Mix it in with {@code @Mixin MaxBatchesOption maxBatches;}. The value is passed on
 * as given: {@code bench struct}'s {@code Options} rejects a negative one (usage error), while
 * {@code bench kd} and {@code bench reg} treat any value {@code <= 0} as all minibatches.
 */
public final class MaxBatchesOption {

    @Option(names = "--max-batches", paramLabel = "N", defaultValue = "0",
            description = "Minibatches per epoch (0: all), for smoke runs. Default: ${DEFAULT-VALUE}.")
    private int maxBatches;

    /** Creates the option; picocli fills it. */
    public MaxBatchesOption() {}

    /** Value of {@code --max-batches}: minibatches per epoch, 0 for all. */
    public int value() {
        return maxBatches;
    }
}
