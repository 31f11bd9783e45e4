package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.distill.conf.KdLoss;

class HardLabelEvaluationTest {
    private static final DataSet DATA = Fixtures.blobs(64, 3);

    @Test
    void kdFormWithWideLabelsEvaluatesLikeTheSoftmaxFormOnHardLabels() {
        MultiLayerNetwork net = Fixtures.mlp(8, 4);
        net.fit(Fixtures.iterator(DATA, 16), 3);
        Evaluation reference = net.evaluate(Fixtures.iterator(DATA, 16));

        OutputLayer head = (OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
        head.setActivationFn(new ActivationIdentity());
        head.setLossFn(KdLoss.of(2, 0.5));
        TeacherSource teacher = TeacherSource.online(Fixtures.mlp(8, 5));
        Evaluation kd = HardLabelEvaluation.evaluate(net, KdDataSetIterator.wrap(Fixtures.iterator(DATA, 16), teacher));

        assertThat(kd.accuracy()).isEqualTo(reference.accuracy());
        assertThat(kd.getConfusionMatrix()).isEqualTo(reference.getConfusionMatrix());
        assertThat(kd.getNumRowCounter()).isEqualTo(64);
        assertThatThrownBy(() -> net.evaluate(Fixtures.iterator(DATA, 16)))
                .hasMessageContaining("activation functions that are not probabilities");
    }

    @Test
    void softmaxFormWithPlainLabelsMatchesDl4jEvaluate() {
        MultiLayerNetwork net = Fixtures.mlp(8, 6);
        assertThat(HardLabelEvaluation.evaluate(net, Fixtures.iterator(DATA, 10)).accuracy())
                .isEqualTo(net.evaluate(Fixtures.iterator(DATA, 10)).accuracy());
    }

    @Test
    void teacherSourcesAreEvaluatedLikeTheirNetwork() {
        MultiLayerNetwork net = Fixtures.mlp(8, 8);
        net.fit(Fixtures.iterator(DATA, 16), 2);
        double reference = net.evaluate(Fixtures.iterator(DATA, 16)).accuracy();
        assertThat(HardLabelEvaluation.evaluate(TeacherSource.online(net), Fixtures.iterator(DATA, 16)).accuracy())
                .isEqualTo(reference);
        TeacherSource cached = TeacherSource.cached(TeacherSource.online(net), Fixtures.iterator(DATA, 64));
        assertThat(HardLabelEvaluation.evaluate(cached, Fixtures.iterator(DATA, 16)).accuracy()).isEqualTo(reference);
    }

    @Test
    void labelsOfAnotherWidthAreRejectedWithBothShapes() {
        MultiLayerNetwork net = Fixtures.mlp(8, 7);
        DataSet odd = new DataSet(DATA.getFeatures(), Nd4j.zeros(64, 5));
        assertThatThrownBy(() -> HardLabelEvaluation.evaluate(net, Fixtures.iterator(odd, 64)))
                .hasMessageContaining("labels have shape [64, 5] but the output layer 'layer1' (OutputLayer) has 4 classes")
                .hasMessageContaining("[batch, 4] or [batch, 8]");
    }
}
