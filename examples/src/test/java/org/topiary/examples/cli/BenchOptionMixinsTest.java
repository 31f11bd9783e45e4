package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@link GmpWindowOptions} and {@link MaxBatchesOption} as the benchmark commands mix them in. */
class BenchOptionMixinsTest {

    @Command(name = "probe", sortOptions = false)
    static final class Probe implements Runnable {
        @Mixin GmpWindowOptions window;

        @Mixin MaxBatchesOption maxBatches;

        @Override
        public void run() {}
    }

    private static Probe parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe;
    }

    @Test
    void defaultsAreTheFmnistGmpWindowAndAllBatches() {
        Probe p = parse();

        assertThat(p.window.beginEpoch()).isEqualTo(1);
        assertThat(p.window.endEpoch()).isEqualTo(7);
        assertThat(p.maxBatches.value()).isZero();
        assertThat(GmpWindowOptions.BATCH_SIZE).isEqualTo(128);
        assertThat(GmpWindowOptions.FREQUENCY).isEqualTo(100);
    }

    @Test
    void givenValuesAreRead() {
        Probe p = parse("--begin-epoch", "2", "--end-epoch", "5", "--max-batches", "3");

        assertThat(p.window.beginEpoch()).isEqualTo(2);
        assertThat(p.window.endEpoch()).isEqualTo(5);
        assertThat(p.maxBatches.value()).isEqualTo(3);
    }

    @Test
    void helpShowsTheDefaults() {
        StringWriter out = new StringWriter();
        new CommandLine(new Probe()).usage(new PrintWriter(out, true));

        assertThat(out.toString())
                .contains("--begin-epoch=E", "--end-epoch=E", "Default: 1.", "Default: 7.")
                .contains("--max-batches=N", "Minibatches per epoch (0: all), for smoke runs.", "Default: 0.");
    }
}
