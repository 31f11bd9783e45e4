package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

class ResumeTest {
    private static final long SEED = 42;

    @TempDir Path tmp;

    private static Model uninterrupted(Arch arch, List<PruningState> stateOut) {
        Model m = Scenario.newModel(arch, SEED);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Scenario.trainTo(m, SEED, Scenario.TOTAL_STEPS, 0);
        stateOut.add(p.state());
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"MLN_DENSE", "CG_MERGE"})
    void savedMidScheduleAndResumed_reachesBitIdenticalParams(Arch arch) throws IOException {
        List<PruningState> ref = new ArrayList<>();
        Model reference = uninterrupted(arch, ref);

        Model first = Scenario.newModel(arch, SEED);
        PruningListener p = PruningListener.attach(first, Scenario.config());
        Scenario.trainTo(first, SEED, 13, 0);
        Path file = tmp.resolve("mid.zip");
        PrunedModels.save(first, p.state(), file);

        RestoredModel r = PrunedModels.restore(file);
        assertThat(r.iteration()).isEqualTo(13);
        assertThat(r.state()).isPresent();
        PruningListener resumed = r.resumePruning();
        Scenario.trainTo(r.model(), SEED, Scenario.TOTAL_STEPS, 0);

        assertThat(Scenario.bits(r.model())).isEqualTo(Scenario.bits(reference));
        assertThat(resumed.history()).isEqualTo(ref.get(0).history());
        assertThat(resumed.report().sparsity()).isGreaterThan(0.6);
    }

    @Test
    void checkpointWrittenInsideTraining_resumesAtTheNextStepBitIdentical() throws IOException {
        Model reference = uninterrupted(Arch.MLN_DENSE, new ArrayList<>());

        Model m = Scenario.newModel(Arch.MLN_DENSE, SEED);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Checkpointer cp = Checkpointer.builder(tmp.resolve("ckpt")).optEveryIterations(5).optKeepLast(10).optPruning(p).build();
        m.addListeners(cp);
        Scenario.trainTo(m, SEED, 17, 0);
        assertThat(Checkpoints.list(tmp.resolve("ckpt"))).extracting(Checkpoints::stepOf).containsExactly(15L, 10L, 5L);

        RestoredModel r = PrunedModels.restore(tmp.resolve("ckpt").resolve(Checkpoints.fileName(15)));
        assertThat(r.iteration()).isEqualTo(15);
        r.resumePruning();
        Scenario.trainTo(r.model(), SEED, Scenario.TOTAL_STEPS, 0);
        assertThat(Scenario.bits(r.model())).isEqualTo(Scenario.bits(reference));
    }

    @Test
    void childJvmKilledWithSigkillAfterACheckpoint_resumesFromItBitIdentical() throws Exception {
        Path dir = tmp.resolve("ckpt");
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                TrainUntilKilled.class.getName(), dir.toString(), String.valueOf(SEED), "4", "150");
        pb.redirectErrorStream(true);
        Process child = pb.start();
        List<String> lines = new ArrayList<>();
        long killedAfter = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("saved ") && Checkpoints.stepOf(Path.of(line.substring(6))) >= 8) {
                    killedAfter = Checkpoints.stepOf(Path.of(line.substring(6)));
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(killedAfter).as("child output: %s", lines).isGreaterThanOrEqualTo(8);
        assertThat(lines).doesNotContain("finished");
        assertThat(child.exitValue()).isEqualTo(137);

        Path latest = Checkpoints.latest(dir).orElseThrow();
        assertThat(Checkpoints.stepOf(latest)).isGreaterThanOrEqualTo(killedAfter).isLessThan(Scenario.TOTAL_STEPS);
        RestoredModel r = PrunedModels.restore(latest);
        r.resumePruning();
        Scenario.trainTo(r.model(), SEED, Scenario.TOTAL_STEPS, 0);

        Model reference = uninterrupted(Arch.MLN_DENSE, new ArrayList<>());
        assertThat(Scenario.bits(r.model())).isEqualTo(Scenario.bits(reference));
    }
}
