package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.examples.persist.SparseExportBenchmark;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.persist.Checkpoints;
import org.topiary.sparsity.dl4j.persist.ResumableRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CheckpointOptionsTest {
    @TempDir Path tmp;

    /** A stand-in for the lead's prune command: trains {@code steps} steps with checkpoints. */
    @Command(name = "fake-prune")
    static final class FakePrune implements Callable<Integer> {
        @Mixin CheckpointOptions checkpoints;
        @CommandLine.Option(names = "--steps") long steps = 4;
        final List<Path> saved = new ArrayList<>();
        Optional<ResumableRun> run;

        @Override
        public Integer call() throws Exception {
            run = checkpoints.start(() -> SparseExportBenchmark.lenet300100(1), PruningConfig.gradual(0.5, 1, 6, 1), saved::add);
            MultiLayerNetwork net = (MultiLayerNetwork) run.orElseThrow().model();
            for (long s = run.get().startStep() + 1; s <= steps; s++) {
                net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 4, 784), Nd4j.eye(10).getRows(0, 1, 2, 3).castTo(DataType.FLOAT)));
            }
            return 0;
        }
    }

    private static int run(FakePrune c, String... args) {
        CommandLine cli = new CommandLine(c);
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void checkpointDirAndResume_continueFromTheLatestCheckpoint() {
        Path dir = tmp.resolve("ck");
        FakePrune first = new FakePrune();
        assertThat(run(first, "--checkpoint-dir", dir.toString(), "--checkpoint-every", "2", "--steps", "5")).isZero();
        assertThat(first.saved).extracting(Checkpoints::stepOf).containsExactly(2L, 4L);

        FakePrune again = new FakePrune();
        assertThat(run(again, "--checkpoint-dir", dir.toString(), "--checkpoint-every", "2")).as("fresh run into a used folder").isEqualTo(1);

        FakePrune resumed = new FakePrune();
        assertThat(run(resumed, "--checkpoint-dir", dir.toString(), "--resume", "--checkpoint-every", "2", "--steps", "6")).isZero();
        assertThat(resumed.run.orElseThrow().resumedFrom()).contains(dir.resolve(Checkpoints.fileName(4)));
        assertThat(resumed.saved).extracting(Checkpoints::stepOf).containsExactly(6L);
    }

    @Test
    void resumeWithoutDirAndBadNumbers_areUsageErrors() {
        assertThat(run(new FakePrune(), "--resume")).isEqualTo(2);
        assertThat(run(new FakePrune(), "--checkpoint-dir", tmp.toString(), "--checkpoint-every", "0")).isEqualTo(2);
        assertThat(run(new FakePrune(), "--checkpoint-dir", tmp.toString(), "--keep-checkpoints", "0")).isEqualTo(2);
    }
}
