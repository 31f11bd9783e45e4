package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.topiary.distill.conf.KdLoss;
import org.topiary.distill.internal.HintGraph;

class HintDistillationTest {
    private static final DataSet TRAIN = Fixtures.blobs(512, 51);
    private static final DataSet TEST = Fixtures.blobs(200, 52);

    /** L2 distance between the hint head's output (projected student layer) and the teacher layer. */
    private static double hintMismatch(MultiLayerNetwork teacher, HintGraph hg) {
        INDArray a = hg.graph().feedForward(TEST.getFeatures(), false).get("kdhint0");
        INDArray t = teacher.feedForwardToLayer(0, TEST.getFeatures(), false).get(1);
        return a.sub(t).norm2Number().doubleValue();
    }

    @Test
    void projectedHintPullsTheStudentLayerTowardsTheTeacherLayer() {
        MultiLayerNetwork teacher = Fixtures.trainedTeacher(TRAIN); // hidden width 32
        ComputationGraph student = Fixtures.graph(6, 53);            // hidden width 6: projected
        INDArray before = student.params().dup();
        // Error of the hint head before training, measured on a graph built from the untrained student.
        HintGraph fresh = HintGraph.build(student.clone(), teacher, List.of(Hint.of("hidden", "0")), KdLoss.of(4, 0.5));
        double mismatchBefore = hintMismatch(teacher, fresh);

        DistillationTrainer.builder(student, TeacherSource.online(teacher))
                .optEpochs(5).optHints(teacher, new Hint("hidden", "0", 0.5))
                .build()
                .fit(Fixtures.iterator(TRAIN, 32));

        assertThat(student.params()).isNotEqualTo(before);
        assertThat(student.getConfiguration().getVertices()).doesNotContainKey("kdhint0");
        assertThat(student.getConfiguration().getIterationCount()).isEqualTo(80);
        OutputLayer head = (OutputLayer) student.getLayer("out").conf().getLayer();
        assertThat(head.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(student.evaluate(Fixtures.iterator(TEST, 100)).accuracy()).isGreaterThan(0.85);

        // The same training on a graph we keep: the hint head's error fell.
        ComputationGraph again = Fixtures.graph(6, 53);
        HintGraph hg = HintGraph.build(again, teacher, List.of(new Hint("hidden", "0", 0.5)), KdLoss.of(4, 0.5));
        assertThat(hg.graph().getLayer("kdhint0").conf().getLayer()).isInstanceOf(OutputLayer.class);
        hg.graph().fit(hg.iterator(Fixtures.iterator(TRAIN, 32), TeacherSource.online(teacher)), 5);
        assertThat(hintMismatch(teacher, hg)).isLessThan(0.5 * mismatchBefore);
    }

    @Test
    void equalWidthsNeedNoProjection() {
        MultiLayerNetwork teacher = Fixtures.mlp(6, 54);
        ComputationGraph student = Fixtures.graph(6, 55);
        HintGraph hg = HintGraph.build(student, teacher, List.of(Hint.of("hidden", "layer0")), KdLoss.of(2, 0.5));
        assertThat(hg.graph().getLayer("kdhint0").conf().getLayer().getClass().getSimpleName()).isEqualTo("LossLayer");
        assertThat(hg.graph().getLayer("kdhint0").numParams()).isZero();
        assertThat(hg.graph().getConfiguration().getNetworkOutputs()).containsExactly("out", "kdhint0");
    }

    @Test
    void graphTeachersAreAddressedByVertexName() {
        ComputationGraph teacher = Fixtures.graph(12, 56);
        ComputationGraph student = Fixtures.graph(6, 57);
        DistillationTrainer.builder(student, TeacherSource.online(teacher))
                .optHints(teacher, Hint.of("hidden", "hidden")).build()
                .fit(Fixtures.iterator(TRAIN, 64));
        assertThat(student.getConfiguration().getIterationCount()).isEqualTo(8);
    }

    @Test
    void hintsAreValidatedWhenTheTrainerIsBuilt() {
        MultiLayerNetwork teacher = Fixtures.mlp(8, 58);
        TeacherSource logits = TeacherSource.online(teacher);
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.mlp(6, 1), logits).optHints(teacher, Hint.of("0", "0")).build())
                .hasMessageContaining("needs a ComputationGraph student, found MultiLayerNetwork")
                .hasMessageContaining("toComputationGraph()");
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.graph(6, 1), logits).optHints(teacher, Hint.of("dense", "0")).build())
                .hasMessageContaining("hint student layer 'dense' is not a layer of the student; layers: [hidden, out]");
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.graph(6, 1), logits).optHints(teacher, Hint.of("hidden", "7")).build())
                .hasMessageContaining("hint teacher layer '7' is not a layer of the teacher; layers (index or name): [0 (layer0), 1 (layer1)]");
        assertThatThrownBy(() -> new Hint("hidden", "0", 0)).hasMessage("weight must be > 0 and finite, found 0");
    }
}
