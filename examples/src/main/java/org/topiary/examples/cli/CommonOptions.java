package org.topiary.examples.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options every command shares, mixed in with {@code @Mixin}. The default of {@code --epochs}
 * belongs to each command (set with a {@code defaultValueProvider}, see {@link
 * CommandDefaults}); the other defaults are the same everywhere.
 */
public final class CommonOptions {

    private static final DateTimeFormatter RUN_FOLDER =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private Integer epochs;
    private long seed = 1;
    private Integer threads;

    @Option(
            names = "--data",
            order = 4,
            paramLabel = "DIR",
            description =
                    "Fashion-MNIST directory (the four IDX .gz files), or 'embedded' for the"
                            + " built-in 10k/2k subset. Default: $FASHION_MNIST_DIR, then"
                            + " /usr/share/datasets/fashion-mnist, then"
                            + " ~/.topiary/datasets/fashion-mnist, then the embedded subset.")
    private String data;

    @Option(
            names = "--out",
            order = 5,
            paramLabel = "DIR",
            description = "Run folder for models, charts and report.md. Default: runs/<timestamp>.")
    private Path out;

    @Option(
            names = "--json",
            order = 6,
            paramLabel = "FILE",
            description = "Also write every result number as JSON (docs/cli-json.md).")
    private Path json;

    @Option(
            names = {"-h", "--help"},
            order = 7,
            usageHelp = true,
            description = "Show this help and exit.")
    private boolean help;

    /** Creates the options; picocli fills them. */
    public CommonOptions() {}

    @Option(
            names = "--epochs",
            order = 1,
            paramLabel = "N",
            description = "Training epochs (>= 1). Default: ${DEFAULT-VALUE}.")
    void setEpochs(int value) {
        if (value < 1) {
            throw new ParameterException(
                    mixee.commandLine(), "--epochs must be >= 1, found " + value);
        }
        epochs = value;
    }

    @Option(
            names = "--seed",
            order = 2,
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed for initialisation and shuffling. Default: ${DEFAULT-VALUE}. (Bench commands"
                    + " train the seeds of --seeds and refuse --seed.)")
    void setSeed(long value) {
        seed = value;
    }

    @Option(
            names = "--threads",
            order = 3,
            paramLabel = "N",
            description =
                    "Native (OpenMP/BLAS) threads ND4J uses (>= 1). Default: $OMP_NUM_THREADS"
                            + " if set, else 1 (2 is no faster on 2 cores, docs/benchmarks.md).")
    void setThreads(int value) {
        if (value < 1) {
            throw new ParameterException(
                    mixee.commandLine(), "--threads must be >= 1, found " + value);
        }
        threads = value;
    }

    /**
     * Epochs to train.
     *
     * @throws IllegalStateException if the command declared no default and none was given
     */
    public int epochs() {
        if (epochs == null) {
            throw new IllegalStateException(
                    "command '" + mixee.name() + "' declares no default for --epochs;"
                            + " give it a CommandDefaults provider");
        }
        return epochs;
    }

    /** Seed for initialisation and shuffling. */
    public long seed() {
        return seed;
    }

    /** Value of {@code --threads}, or {@code null} when not given. */
    public Integer threads() {
        return threads;
    }

    /** Which data to use. */
    public DataChoice data() {
        return DataChoice.parse(data);
    }

    /** The run folder: {@code --out}, or {@code runs/<yyyyMMdd-HHmmss>} of the current time. */
    public Path outDir() {
        return out != null ? out : Path.of("runs", RUN_FOLDER.format(LocalDateTime.now()));
    }

    /** Value of {@code --json}, or {@code null} when not given. */
    public Path jsonFile() {
        return json;
    }
}
