package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

class ResumableRunTest {
    @TempDir Path tmp;

    @Test
    void freshRunThenResume_continuesFromTheLatestCheckpointBitIdentical() throws IOException {
        Path dir = tmp.resolve("ck");
        ResumableRun first = ResumableRun.builder(dir).optEveryIterations(5).start(() -> Scenario.newModel(Arch.MLN_DENSE, 8), Scenario.config());
        assertThat(first.resumedFrom()).isEmpty();
        assertThat(first.startStep()).isZero();
        List<Class<?>> order = new ArrayList<>();
        for (TrainingListener l : ((MultiLayerNetwork) first.model()).getListeners()) {
            order.add(l.getClass());
        }
        assertThat(order).containsExactly(DivergenceGuard.class, org.topiary.sparsity.dl4j.PruningListener.class, Checkpointer.class);
        Scenario.trainTo(first.model(), 8, 17, 0);

        ResumableRun second = ResumableRun.builder(dir).optResume(true).optEveryIterations(5).start(() -> {
            throw new AssertionError("must not build a fresh model when resuming");
        }, Scenario.config());
        assertThat(second.resumedFrom()).contains(dir.resolve(Checkpoints.fileName(15)));
        assertThat(second.startStep()).isEqualTo(15);
        assertThat(second.positionInEpoch(100)).isEqualTo(15);
        Scenario.trainTo(second.model(), 8, Scenario.TOTAL_STEPS, 0);

        ResumableRun reference = ResumableRun.builder(tmp.resolve("ref")).optEveryIterations(1000).start(() -> Scenario.newModel(Arch.MLN_DENSE, 8), Scenario.config());
        Scenario.trainTo(reference.model(), 8, Scenario.TOTAL_STEPS, 0);
        assertThat(Scenario.bits(second.model())).isEqualTo(Scenario.bits(reference.model()));
        assertThat(second.pruning().history()).isEqualTo(reference.pruning().history());
    }

    @Test
    void resumeInAnEmptyFolder_startsFresh() throws IOException {
        ResumableRun r = ResumableRun.builder(tmp.resolve("new")).optResume(true).optEveryEpochs(1).start(() -> Scenario.newModel(Arch.CG_MERGE, 8), Scenario.config());
        assertThat(r.resumedFrom()).isEmpty();
        assertThat(r.pruning().selectedParamIds()).containsExactly("left_W", "right_W", "out_W");
    }
}
