package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class CliErrorsTest {

    /** A file command whose body is chosen by {@code --fail}. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin HelpOption help;

        @Option(names = "--fail") String fail = "none";

        @Option(names = "--ratio") double ratio = 0.5;

        @Override
        public Integer call() {
            double checked = CliErrors.usage(spec, () -> {
                if (!(ratio >= 0 && ratio < 1)) {
                    throw new IllegalArgumentException("--ratio must be in [0, 1), found " + ratio);
                }
                return ratio;
            });
            return CliErrors.run(spec, out -> {
                out.print("working " + checked);
                switch (fail) {
                    case "io" -> throw new IOException("disk full");
                    case "state" -> throw new IllegalStateException("bad state");
                    default -> out.println(" done");
                }
            });
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Probe());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runReturnsZeroAndFlushesTheOutput() {
        Result r = run();

        assertThat(r.code()).isEqualTo(TopiaryCli.EXIT_OK);
        assertThat(r.out()).isEqualTo("working 0.5 done" + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void runReportsAnIoFailureAsExitOneAndKeepsWhatWasPrinted() {
        Result r = run("--fail", "io");

        assertThat(r.code()).isEqualTo(TopiaryCli.EXIT_FAILURE);
        assertThat(r.out()).isEqualTo("working 0.5");
        assertThat(r.err()).isEqualTo("probe: error: disk full" + System.lineSeparator());
    }

    @Test
    void runReportsAnIllegalStateAsExitOne() {
        Result r = run("--fail", "state");

        assertThat(r.code()).isEqualTo(TopiaryCli.EXIT_FAILURE);
        assertThat(r.err()).startsWith("probe: error: bad state");
    }

    @Test
    void runLetsOtherExceptionsThrough() {
        CommandLine cli = new CommandLine(new Probe());
        cli.setOut(new PrintWriter(new StringWriter()));

        assertThatThrownBy(() -> CliErrors.run(cli.getCommandSpec(), out -> {
                    throw new UnsupportedOperationException("not mine");
                }))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void usageTurnsARejectedValueIntoAUsageErrorWithTheSameMessage() {
        Result r = run("--ratio", "1.5");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("--ratio must be in [0, 1), found 1.5");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usageThrowsAParameterExceptionForTheCommand() {
        CommandLine cli = new CommandLine(new Probe());
        CommandSpec spec = cli.getCommandSpec();

        assertThatThrownBy(() -> CliErrors.usage(spec, () -> {
                    throw new IllegalArgumentException("--x must be > 0, found -1");
                }))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--x must be > 0, found -1")
                .satisfies(e -> assertThat(((ParameterException) e).getCommandLine()).isSameAs(cli));
    }

    @Test
    void helpOptionPrintsUsageAndExitsZero() {
        Result r = run("--help");

        assertThat(r.code()).isEqualTo(TopiaryCli.EXIT_OK);
        assertThat(r.out()).contains("-h, --help", "Show this help and exit.");
    }
}
