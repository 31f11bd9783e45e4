package org.topiary.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.backend.Backend;
import org.topiary.examples.backend.BackendInfo;
import org.topiary.examples.backend.MachineInfo;
import org.topiary.examples.backend.ThreadCount;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.examples.io.OutputLocations;
import org.topiary.examples.report.Charts;
import org.topiary.examples.report.CommandReport;
import org.topiary.examples.report.DataSummary;
import org.topiary.examples.report.JsonReport;
import org.topiary.examples.report.MarkdownReport;
import org.topiary.examples.report.ResultsTable;
import org.topiary.examples.report.ShrinkSummary;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The start and finish every training command shares.
 *
 * <p>{@link #start}: check the output locations (before anything slow), start the backend with
 * the thread count, and describe the machine. {@link #loadData}: load the data the options
 * select and say which it is. {@link #finish}: print the results tables, write the charts, {@code
 * report.md} and (with {@code --json}) the JSON file.
 */
public final class CommandSession {

    private static final Logger LOG = LoggerFactory.getLogger(CommandSession.class);

    private final CommandSpec spec;
    private final CommonOptions options;
    private final OutputLocations outputs;
    private final BackendInfo backend;
    private final MachineInfo machine;

    private CommandSession(
            CommandSpec spec,
            CommonOptions options,
            OutputLocations outputs,
            BackendInfo backend,
            MachineInfo machine) {
        this.spec = spec;
        this.options = options;
        this.outputs = outputs;
        this.backend = backend;
        this.machine = machine;
    }

    /**
     * Prepares a command run.
     *
     * @param spec the command being run (for its name, arguments and output stream)
     * @param options its common options
     * @return the session
     * @throws java.io.UncheckedIOException naming the path if an output location is not writable
     * @throws org.topiary.examples.backend.UnsupportedBackendException if the GPU is unsupported
     * @throws IllegalArgumentException if {@code OMP_NUM_THREADS} is malformed
     */
    public static CommandSession start(CommandSpec spec, CommonOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        refuseSeedWhereSeedsRule(spec);
        OutputLocations outputs = OutputLocations.prepare(options.outDir(), options.jsonFile());
        ThreadCount threads =
                ThreadCount.resolve(options.threads(), System.getenv("OMP_NUM_THREADS"));
        BackendInfo backend = Backend.start(threads);
        MachineInfo machine = MachineInfo.detect();
        LOG.info("Machine: {}", machine.describe());
        LOG.info("Output: {}", outputs.outDir());
        return new CommandSession(spec, options, outputs, backend, machine);
    }

    /**
     * The benchmark commands train every seed of {@code --seeds}; the shared {@code --seed} of
     * {@link CommonOptions} would be silently ignored there, so giving it is a usage error that
     * names the option to use, before any output folder is made.
     */
    private static void refuseSeedWhereSeedsRule(CommandSpec spec) {
        CommandLine cl = spec.commandLine();
        if (spec.findOption("--seeds") != null && cl != null && cl.getParseResult() != null
                && cl.getParseResult().hasMatchedOption("--seed")) {
            throw new ParameterException(cl, "'" + spec.qualifiedName(" ").replaceFirst("^topiary ", "")
                    + "' trains the seeds of --seeds and ignores --seed: give --seeds N (or N,N,...) instead");
        }
    }

    /** The run folder (exists and is writable). */
    public Path outDir() {
        return outputs.outDir();
    }

    /** The backend in use. */
    public BackendInfo backend() {
        return backend;
    }

    /**
     * Loads the data selected by {@code --data} and prints which it is.
     *
     * @return the data
     */
    public TrainingData loadData() {
        TrainingData data = FashionMnistData.load(options.data());
        out().println("Data: " + DataSummary.of(data).describe());
        out().flush();
        return data;
    }

    /**
     * Loads the data selected by {@code --data} as Fashion-MNIST (for the commands that split it or
     * need its images) and prints where it came from.
     *
     * @return the data
     */
    public FashionMnist loadFashionMnist() {
        FashionMnist data = FashionMnistData.loadFashionMnist(options.data());
        out().println("Data: " + data.source());
        out().flush();
        return data;
    }

    /**
     * Prints the results and writes the charts, {@code report.md} and the JSON file.
     *
     * @param data the data trained on
     * @param runs the runs, in training order
     * @return the report that was written
     * @throws java.io.UncheckedIOException naming the file if an output cannot be written
     */
    public CommandReport finish(TrainingData data, List<RunResult> runs) {
        return finish(data, runs, List.of());
    }

    /**
     * Like {@link #finish(TrainingData, List)}, with shrink steps (a table after the results, a
     * section of {@code report.md} and the {@code shrink} array of the JSON).
     *
     * @param data the data trained on
     * @param runs the runs, in training order
     * @param shrinks the shrink steps
     * @return the report that was written
     */
    public CommandReport finish(TrainingData data, List<RunResult> runs, List<ShrinkSummary> shrinks) {
        CommandReport report =
                new CommandReport(
                        spec.name(),
                        arguments(),
                        Instant.now(),
                        DataSummary.of(data),
                        backend,
                        machine,
                        outputs.outDir(),
                        runs,
                        shrinks);
        PrintWriter out = out();
        out.println();
        out.print(ResultsTable.summary(runs).toText());
        out.println();
        out.print(ResultsTable.layers(runs).toText());
        out.println();
        if (!shrinks.isEmpty()) {
            out.print(ResultsTable.shrinks(shrinks).toText());
            out.println();
        }
        List<Charts.ChartFile> charts = Charts.writeAll(outputs.outDir(), runs);
        Path markdown = MarkdownReport.write(report, charts);
        out.println("Report: " + markdown);
        if (outputs.jsonFile().isPresent()) {
            JsonReport.write(outputs.jsonFile().get(), report);
            out.println("JSON:   " + outputs.jsonFile().get());
        }
        out.flush();
        return report;
    }

    /**
     * Ends a benchmark command: prints {@code table}, writes it to {@code fileName} in the run
     * folder after {@code fileHeader} (e.g. where the data came from; may be empty), and with
     * {@code --json} writes the document {@code json} supplies (built only then); says where each
     * file went.
     *
     * @return the table file
     * @throws java.io.UncheckedIOException naming the file if an output cannot be written
     */
    public Path finishBench(String fileName, String fileHeader, CharSequence table, Supplier<String> json) {
        PrintWriter out = out();
        out.println();
        out.print(table);
        Path tableFile = outputs.outDir().resolve(fileName);
        AtomicFiles.writeString(tableFile, fileHeader + table);
        out.println("Table:  " + tableFile);
        if (outputs.jsonFile().isPresent()) {
            AtomicFiles.writeString(outputs.jsonFile().get(), json.get());
            out.println("JSON:   " + options.jsonFile()); // as typed, as the benchmark commands always printed it
        }
        out.flush();
        return tableFile;
    }

    /** {@code "data: SOURCE"} and {@code blankLines + 1} line separators: the usual table-file header. */
    static String dataHeader(String source, int blankLines) {
        return "data: " + source + System.lineSeparator().repeat(blankLines + 1);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The arguments after the command name, as typed. */
    private List<String> arguments() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return at < 0 ? all : all.subList(at + 1, all.size());
    }
}
