package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.topiary.examples.train.ModelZoo;

class LowestL1UnitsTest {

    @Test
    void picksTheRoundedFractionWithTheSmallestIncomingL1_perLayer() {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        INDArray w = net.getParam("0_W");
        w.get(NDArrayIndex.all(), NDArrayIndex.point(299)).assign(0); // smallest possible norm
        w.get(NDArrayIndex.all(), NDArrayIndex.point(7)).muli(1e-3);

        Map<String, List<Integer>> units = StructBench.lowestL1Units(net, StructBench.layersOf(net, DenseLayer.class), 0.75);

        assertThat(units.keySet()).containsExactly("0", "1");
        assertThat(units.get("0")).hasSize(225).contains(7, 299).isSorted();
        assertThat(units.get("1")).hasSize(75);
        double[] l1 = w.norm1(0).toDoubleVector();
        double maxChosen = units.get("0").stream().mapToDouble(j -> l1[j]).max().orElseThrow();
        for (int j = 0; j < 300; j++) {
            if (!units.get("0").contains(j)) {
                assertThat(l1[j]).isGreaterThanOrEqualTo(maxChosen);
            }
        }
    }

    @Test
    void convLayers_areChosenByFilterNorm_andTheOutputLayerNever() {
        MultiLayerNetwork cnn = ModelZoo.smallCnn(2);
        assertThat(StructBench.layersOf(cnn, ConvolutionLayer.class)).containsExactly("0", "2");
        assertThat(StructBench.layersOf(cnn, DenseLayer.class)).containsExactly("4");
        Map<String, List<Integer>> units = StructBench.lowestL1Units(cnn, List.of("0", "2"), 0.5);
        assertThat(units.get("0")).hasSize(16);
        assertThat(units.get("2")).hasSize(32);
        assertThatThrownBy(() -> StructBench.lowestL1Units(cnn, List.of("0"), 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction must be in (0, 1)");
    }
}
