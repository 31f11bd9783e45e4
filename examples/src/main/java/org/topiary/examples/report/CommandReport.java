package org.topiary.examples.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.topiary.examples.backend.BackendInfo;
import org.topiary.examples.backend.MachineInfo;
import org.topiary.examples.train.RunResult;

/**
 * Everything a command reports: the input of the table, the charts, {@code report.md} and the
 * JSON output.
 *
 * @param command the sub-command, e.g. {@code "demo"}
 * @param arguments the command-line arguments as given
 * @param createdAt when the command finished
 * @param data the data trained on
 * @param backend the ND4J backend
 * @param machine the machine
 * @param outDir the run folder
 * @param runs the runs, in the order they were trained
 * @param shrinks structured-pruning steps (the {@code demo}'s shrink step), possibly empty
 */
public record CommandReport(
        String command,
        List<String> arguments,
        Instant createdAt,
        DataSummary data,
        BackendInfo backend,
        MachineInfo machine,
        Path outDir,
        List<RunResult> runs,
        List<ShrinkSummary> shrinks) {

    /** A report without shrink steps. */
    public CommandReport(String command, List<String> arguments, Instant createdAt, DataSummary data, BackendInfo backend,
                         MachineInfo machine, Path outDir, List<RunResult> runs) {
        this(command, arguments, createdAt, data, backend, machine, outDir, runs, List.of());
    }

    /** Validates the components and copies the lists. */
    public CommandReport {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(outDir, "outDir");
        arguments = List.copyOf(arguments);
        runs = List.copyOf(runs);
        shrinks = List.copyOf(shrinks);
    }
}
