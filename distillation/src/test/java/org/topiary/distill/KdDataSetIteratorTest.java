package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class KdDataSetIteratorTest {
    private static final DataSet DATA = Fixtures.blobs(40, 2);

    @Test
    void appendsTeacherLogitsAfterTheHardLabelsOfEveryBatch() {
        TeacherSource teacher = TeacherSource.online(Fixtures.mlp(8, 1));
        DataSetIterator kd = KdDataSetIterator.wrap(Fixtures.iterator(DATA, 16), teacher);
        assertThat(kd.totalOutcomes()).isEqualTo(2 * Fixtures.CLASSES);
        int batches = 0;
        int examples = 0;
        while (kd.hasNext()) {
            DataSet b = kd.next();
            long n = b.numExamples();
            assertThat(b.getLabels().shape()).containsExactly(n, 2 * Fixtures.CLASSES);
            assertThat(b.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(0, Fixtures.CLASSES)))
                    .isEqualTo(DATA.getLabels().get(NDArrayIndex.interval(examples, examples + n), NDArrayIndex.all()));
            assertThat(b.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(Fixtures.CLASSES, 2 * Fixtures.CLASSES)))
                    .isEqualTo(teacher.logits(b.getFeatures()));
            batches++;
            examples += (int) n;
        }
        assertThat(batches).isEqualTo(3);
        assertThat(examples).isEqualTo(40);
        kd.reset();
        assertThat(kd.hasNext()).isTrue();
    }

    @Test
    void teacherWithAnotherNumberOfClassesFailsNamingBothShapes() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(Fixtures.DIMS).nOut(6).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork six = new MultiLayerNetwork(conf);
        six.init();
        DataSetIterator kd = KdDataSetIterator.wrap(Fixtures.iterator(DATA, 16), TeacherSource.online(six));
        assertThatThrownBy(kd::next)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("teacher logits have shape [16, 6] but the student's labels have shape [16, 4]");
    }
}
