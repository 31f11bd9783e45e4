package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DeadNeuronSurgeryTest {

    @Test
    void removingDeadNeuronsKeepsTheFunctionAndFoldsConstantOutputsIntoTheNextBias() {
        MultiLayerNetwork net = RegularizationBench.lenet(3, i -> List.of());
        Nd4j.getRandom().setSeed(4);
        net.getParam("0_b").assign(Nd4j.rand(DataType.FLOAT, 300).subi(0.3)); // some constants relu(b) > 0
        net.getParam("1_b").assign(Nd4j.rand(DataType.FLOAT, 100).subi(0.3));
        INDArray w0 = net.getParam("0_W");
        INDArray w1 = net.getParam("1_W");
        INDArray w2 = net.getParam("2_W");
        for (int j = 0; j < 300; j += 3) { // every third fc1 neuron: no incoming weights
            w0.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(0);
        }
        for (int j = 1; j < 300; j += 7) { // some fc1 neurons: no outgoing weights
            w1.get(NDArrayIndex.point(j), NDArrayIndex.all()).assign(0);
        }
        for (int j = 0; j < 100; j += 2) { // half of fc2: no incoming weights
            w1.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(0);
        }
        w2.get(NDArrayIndex.point(1), NDArrayIndex.all()).assign(0);

        DeadNeuronSurgery.Shrunk s = DeadNeuronSurgery.shrink(net);
        long deadFc1 = java.util.stream.IntStream.range(0, 300).filter(j -> j % 3 == 0 || j % 7 == 1).count();
        assertThat(s.before()).containsExactly(300L, 100L);
        assertThat(s.after()).containsExactly(300 - deadFc1, 49L);
        assertThat(s.removed()).isEqualTo(deadFc1 + 51);
        assertThat(DeadNeuronSurgery.zeroColumns(w0)).isEqualTo(100);

        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 784);
        INDArray expected = net.output(x);
        INDArray actual = s.net().output(x);
        assertThat(actual.equalsWithEps(expected, 1e-5)).isTrue();
    }
}
