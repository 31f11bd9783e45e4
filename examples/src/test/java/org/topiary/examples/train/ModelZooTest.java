package org.topiary.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelZooTest {

    @Test
    void lenet300100_has784_300_100_10Layout() {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);

        // (784*300 + 300) + (300*100 + 100) + (100*10 + 10)
        assertThat(net.numParams()).isEqualTo(266_610);
        assertThat(net.getParam("0_W").shape()).containsExactly(784, 300);
        assertThat(net.getParam("1_W").shape()).containsExactly(300, 100);
        assertThat(net.getParam("2_W").shape()).containsExactly(100, 10);
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void sameSeed_givesSameInitialWeights_otherSeedDiffers() {
        INDArray a = ModelZoo.lenet300100(7).params();
        INDArray b = ModelZoo.lenet300100(7).params();
        INDArray c = ModelZoo.lenet300100(8).params();

        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void smallCnn_acceptsFlatInput_andOutputsClassProbabilities() {
        MultiLayerNetwork net = ModelZoo.smallCnn(1);
        INDArray flat = Nd4j.rand(DataType.FLOAT, 3, ModelZoo.INPUTS);

        INDArray out = net.output(flat);

        assertThat(out.shape()).containsExactly(3, 10);
        assertThat(out.sum(1).toDoubleVector()).containsOnly(new double[] {1, 1, 1}, offset(1e-4));
        assertThat(net.getParam("0_W").shape()).containsExactly(32, 1, 5, 5);
        assertThat(net.getParam("2_W").shape()).containsExactly(64, 32, 5, 5);
        assertThat(net.getParam("4_W").shape()).containsExactly(64 * 4 * 4, 256);
    }

    @Test
    void smallCnn_dropsThirtyPercentInTheDenseLayer() {
        DenseLayer fc = (DenseLayer) ModelZoo.smallCnn(1).getLayer(4).conf().getLayer();

        // DL4J's Dropout(p) keeps activations with probability p.
        assertThat(fc.getIDropout()).isEqualTo(new org.deeplearning4j.nn.conf.dropout.Dropout(0.7));
    }
}
