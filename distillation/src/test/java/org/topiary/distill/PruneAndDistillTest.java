package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.testkit.MaskAssertions;

/** Pruning and distillation in one training loop: a PruningListener inside the trainer. */
class PruneAndDistillTest {
    private static final DataSet TRAIN = Fixtures.blobs(512, 41);
    private static final DataSet TEST = Fixtures.blobs(400, 42);

    @Test
    void prunedWeightsAreExactlyZeroAfterDistillationAndTheStudentLearned() {
        MultiLayerNetwork teacher = Fixtures.trainedTeacher(TRAIN);
        MultiLayerNetwork student = Fixtures.mlp(16, 43);
        // 16 steps per epoch, 6 epochs: prune 0 -> 80% between steps 16 and 64, masks every 8 steps.
        PruningListener pruning = PruningListener.create(PruningConfig.gradual(0.8, 16, 64, 8));
        TeacherSource cached = TeacherSource.cached(TeacherSource.online(teacher), Fixtures.iterator(TRAIN, 256));
        DistillationTrainer.builder(student, cached)
                .optTemperature(4).optAlpha(0.5).optEpochs(6).optListeners(pruning)
                .build()
                .fit(Fixtures.iterator(TRAIN, 32));

        assertThat(student.getIterationCount()).isEqualTo(96);
        assertThat(pruning.selectedParamIds()).containsExactly("0_W", "1_W");
        for (String id : pruning.selectedParamIds()) {
            INDArray mask = pruning.state().mask(id);
            INDArray w = student.getParam(id);
            MaskAssertions.assertSparsity(0.8, w, 1);
            MaskAssertions.assertZeroWherePruned(w, mask);
        }
        assertThat(pruning.report().sparsity()).isCloseTo(0.8, org.assertj.core.api.Assertions.within(0.01));
        assertThat(student.evaluate(Fixtures.iterator(TEST, 200)).accuracy()).isGreaterThan(0.85);
    }
}
