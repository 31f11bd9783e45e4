package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.topiary.examples.train.ModelZoo;

class AllocationBenchTest {

    @Test
    void denseNetwork_hasEveryOutputLiveAndNoDeadUnit() {
        assertThat(AllocationBench.livePaths(ModelZoo.lenet300100(1))).containsExactly(10, 0);
    }

    @Test
    void cutIncomingWeightsOfAnOutputClass_makeItDead() {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        INDArray out = net.getParam("2_W"); // [100, 10]
        out.get(NDArrayIndex.all(), NDArrayIndex.point(3)).assign(0);
        assertThat(AllocationBench.livePaths(net)[0]).isEqualTo(9);
    }

    @Test
    void hiddenUnitWithoutInputsOrOutputs_isCountedDead() {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        net.getParam("0_W").get(NDArrayIndex.all(), NDArrayIndex.point(5)).assign(0); // fc1 unit 5: no inputs
        net.getParam("1_W").get(NDArrayIndex.point(7), NDArrayIndex.all()).assign(0); // fc1 unit 7: no outputs
        net.getParam("2_W").get(NDArrayIndex.point(2), NDArrayIndex.all()).assign(0); // fc2 unit 2: no outputs
        assertThat(AllocationBench.livePaths(net)).containsExactly(10, 3);
    }
}
