package org.topiary.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

class WeightSparsityTest {

    @Test
    void denseNetwork_reportsWeightMatricesOnly_notBiases() {
        SparsityReport report = WeightSparsity.measure(ModelZoo.lenet300100(1));

        assertThat(report.layers())
                .extracting(LayerSparsity::param)
                .containsExactly("0_W", "1_W", "2_W");
        assertThat(report.layers())
                .extracting(LayerSparsity::layerName)
                .containsExactly("fc1", "fc2", "out");
        assertThat(report.layers().get(0).shape()).containsExactly(784L, 300L);
        assertThat(report.layers().get(0).layerType()).isEqualTo("DenseLayer");
        assertThat(report.weightCount()).isEqualTo(784 * 300 + 300 * 100 + 100 * 10);
        assertThat(report.totalParams()).isEqualTo(266_610);
        assertThat(report.sparsity()).isZero();
    }

    @Test
    void zeroedWeights_countExactly_andBiasZerosCountOnlyInParams() {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        net.getParam("1_W").get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10)).assign(0);
        net.getParam("0_b").assign(0); // biases start at zero anyway
        long zeroedWeights = 300L * 10;

        SparsityReport report = WeightSparsity.measure(net);

        LayerSparsity fc2 = report.layers().get(1);
        assertThat(fc2.nonzero()).isEqualTo(fc2.size() - zeroedWeights);
        assertThat(fc2.sparsity()).isCloseTo(0.1, within(1e-12));
        assertThat(report.nonzeroWeights()).isEqualTo(report.weightCount() - zeroedWeights);
        assertThat(report.sparsity())
                .isCloseTo(zeroedWeights / (double) report.weightCount(), within(1e-12));
        long biases = 300 + 100 + 10;
        assertThat(report.nonzeroParams())
                .isEqualTo(report.totalParams() - zeroedWeights - biases);
    }

    @Test
    void tinyWeights_areNotZero() {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        net.getParam("2_W").assign(1e-30);

        SparsityReport report = WeightSparsity.measure(net);

        assertThat(report.layers().get(2).sparsity()).isZero();
    }

    @Test
    void convolutionKernels_arePrunableWeights() {
        SparsityReport report = WeightSparsity.measure(ModelZoo.smallCnn(1));

        assertThat(report.layers())
                .extracting(LayerSparsity::param)
                .containsExactly("0_W", "2_W", "4_W", "5_W");
        assertThat(report.layers().get(0).layerType()).isEqualTo("ConvolutionLayer");
    }
}
