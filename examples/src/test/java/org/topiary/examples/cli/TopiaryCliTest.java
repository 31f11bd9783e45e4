package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopiaryCliTest {

    @TempDir Path dir;

    @Test
    void help_exitsZero_andListsTheCommands() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: topiary")
                .contains("demo", "inspect", "export", "strip")
                .contains("Exit codes");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void demoHelp_exitsZero_andDocumentsEveryCommonOption() {
        CliRun run = CliRun.of("demo", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: topiary demo")
                .contains("--epochs=N", "--seed=N", "--threads=N", "--data=DIR", "--out=DIR",
                        "--json=FILE", "--help")
                .contains("Default: " + DemoCommand.DEFAULT_EPOCHS + ".")
                .contains("Default: 1.")
                .contains("'embedded'");
    }

    @Test
    void unknownFlag_isAUsageError_withExitCode2() {
        CliRun run = CliRun.of("demo", "--frobnicate");

        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--frobnicate'").contains("Usage: topiary demo");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void badValues_areUsageErrors_namingTheOption() {
        assertThat(CliRun.of("demo", "--epochs", "many").err()).contains("--epochs").contains("many");
        assertThat(CliRun.of("demo", "--epochs", "many").exitCode()).isEqualTo(2);

        CliRun zeroEpochs = CliRun.of("demo", "--epochs", "0");
        assertThat(zeroEpochs.exitCode()).isEqualTo(2);
        assertThat(zeroEpochs.err()).contains("--epochs must be >= 1, found 0");

        CliRun zeroThreads = CliRun.of("demo", "--threads", "0");
        assertThat(zeroThreads.exitCode()).isEqualTo(2);
        assertThat(zeroThreads.err()).contains("--threads must be >= 1, found 0");
    }

    @Test
    void unknownCommand_andMissingCommand_areUsageErrors() {
        assertThat(CliRun.of("prune-everything").exitCode()).isEqualTo(2);

        CliRun none = CliRun.of();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Missing command: choose one of demo, prune, distill, bench").contains("inspect", "export", "strip");
    }

    @Test
    void unwritableOut_failsWithExitCode1_namingThePath_beforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path out = file.resolve("run");

        CliRun run = CliRun.of("demo", "--data", "embedded", "--out", out.toString());

        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_FAILURE);
        assertThat(run.err())
                .startsWith("topiary demo: error: cannot write to --out location " + out)
                .doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unwritableJson_failsWithExitCode1_andWritesNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path out = dir.resolve("run");

        CliRun run =
                CliRun.of("demo", "--data", "embedded", "--out", out.toString(),
                        "--json", file.resolve("r.json").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--json").contains(file.toString());
        assertThat(out).isEmptyDirectory();
    }
}
