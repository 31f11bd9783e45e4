package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.distill.conf.KdLoss;

class KdHeadListenerTest {
    private static final DataSet TRAIN = Fixtures.blobs(512, 61);
    private static final DataSet TEST = Fixtures.blobs(200, 62);

    @Test
    void plainFitLoopDistilsAndEvaluatesBetweenEpochs() {
        MultiLayerNetwork teacher = Fixtures.trainedTeacher(TRAIN);
        MultiLayerNetwork student = Fixtures.mlp(6, 63);
        student.addListeners(KdHeadListener.of(student, KdLoss.of(2, 0.5)));
        DataSetIterator kd = KdDataSetIterator.wrap(Fixtures.iterator(TRAIN, 32), TeacherSource.online(teacher));
        double accuracy = 0;
        for (int e = 0; e < 4; e++) {
            student.fit(kd);
            accuracy = student.evaluate(Fixtures.iterator(TEST, 100)).accuracy();
        }
        assertThat(accuracy).isGreaterThan(0.85);
        assertThat(student.getIterationCount()).isEqualTo(64);
        assertThat(((OutputLayer) student.getOutputLayer().conf().getLayer()).getActivationFn())
                .isInstanceOf(ActivationSoftmax.class);
    }

    @Test
    void belongsToOneModel() {
        MultiLayerNetwork a = Fixtures.mlp(6, 64);
        KdHeadListener l = KdHeadListener.of(a, KdLoss.of(2, 0.5));
        assertThatThrownBy(() -> l.onEpochStart(Fixtures.mlp(6, 65)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another model");
    }
}
