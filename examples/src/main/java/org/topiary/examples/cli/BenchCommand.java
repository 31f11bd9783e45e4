package org.topiary.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench}: the benchmark commands. Each measures what it compares in one run
 * (interleaved, same seeds and batch order), prints ratios and writes JSON with {@code --json}.
 */
@Command(
        name = "bench",
        subcommands = {BenchGmpCommand.class, BenchRegCommand.class, BenchKdCommand.class, BenchStructCommand.class,
            BenchNmCommand.class, BenchAllocCommand.class, BenchSameDiffCommand.class, BenchParallelCommand.class},
        synopsisSubcommandLabel = "BENCHMARK",
        description = "Benchmarks: accuracy, sparsity and cost measured back to back in one run.")
public final class BenchCommand implements Runnable {
    @Spec private CommandSpec spec;

    /** Creates the command; picocli fills its fields. */
    public BenchCommand() {}

    /** Called without a benchmark name: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing benchmark: choose one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
