package org.topiary.examples.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.topiary.examples.backend.UnsupportedBackendException;
import org.topiary.examples.data.DatasetFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code topiary} command: dispatches to one sub-command per task.
 *
 * <p>Use {@link #run(String...)} to run it in-process (tests, other programs); {@link #main} is
 * the same plus {@code System.exit}. Sub-commands are listed in the {@code subcommands} attribute
 * below; see the package documentation for how to add one.
 */
@Command(
        name = "topiary",
        subcommands = {
            DemoCommand.class,
            PruneCommand.class,
            DistillCommand.class,
            BenchCommand.class,
            InspectCommand.class,
            ExportCommand.class,
            StripCommand.class,
            ShrinkCommand.class,
            SensitivityCommand.class,
            SearchCommand.class
        },
        synopsisSubcommandLabel = "COMMAND",
        description = "Train Deeplearning4j models to be sparse from the start.",
        footer = {
            "",
            "Run 'topiary COMMAND --help' for a command's options.",
            "Exit codes: 0 success, 1 failure, 2 usage error."
        })
public final class TopiaryCli implements Runnable {

    /** Success, also for {@code --help}. */
    public static final int EXIT_OK = 0;

    /** The command failed: bad data or output location, unsupported GPU, training error. */
    public static final int EXIT_FAILURE = 1;

    /** Usage error: unknown option, missing or bad value, no command. */
    public static final int EXIT_USAGE = 2;

    @Spec private CommandSpec spec;

    @Mixin private HelpOption help;

    /** Creates the command; picocli fills its fields. */
    public TopiaryCli() {}

    /** Called without a sub-command: a usage error. */
    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: choose one of " + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * Runs the command line, printing to standard output and error.
     *
     * @param args command-line arguments
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
     */
    public static int run(String... args) {
        return run(
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                args);
    }

    /**
     * Runs the command line with the given output streams (results go to {@code out}, usage
     * errors and failures to {@code err}; logs and progress use SLF4J).
     *
     * @param out where results and help go
     * @param err where errors go
     * @param args command-line arguments
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        CommandLine cli = new CommandLine(new TopiaryCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(TopiaryCli::handleFailure);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    private static int handleFailure(
            Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": error: " + message(e));
        if (!expected(e)) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /** Failures whose message says it all; anything else also gets a stack trace. */
    private static boolean expected(Exception e) {
        return e instanceof UncheckedIOException
                || e instanceof DatasetFormatException
                || e instanceof UnsupportedBackendException
                || e instanceof IllegalArgumentException;
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
