package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.TrainingData;

/** The SameDiff LeNet-300-100 is the network it copies, and the options name what they reject. */
class SameDiffBenchTest {

    private static DataSet batch() {
        return FashionMnist.embedded().trainIterator(128, 5).next();
    }

    @Test
    void sameDiffLenetCopiesTheNetworksInitialWeightsAndGivesItsOutputAndLoss() {
        MultiLayerNetwork net = ModelZoo.lenet300100(4);
        SameDiff sd = SameDiffBench.lenetSameDiff(net);
        DataSet d = batch();

        INDArray expected = net.output(d.getFeatures(), false);
        INDArray actual = sd.outputSingle(Map.of(SameDiffBench.INPUT, d.getFeatures()), SameDiffBench.OUTPUT);
        assertThat(actual.shape()).containsExactly(128, 10);
        assertThat(SameDiffBench.maxAbsDiff(actual, expected)).isLessThan(1e-6);

        // DL4J's dense W is [nIn, nOut]: the SameDiff weights equal the network's params, the biases are rank 1
        for (int i = 0; i < 3; i++) {
            assertThat(sd.getArrForVarName("w" + i)).isEqualTo(net.getParam(i + "_W"));
            INDArray b = sd.getArrForVarName("b" + i);
            assertThat(b.rank()).isEqualTo(1);
            assertThat(b).isEqualTo(net.getParam(i + "_b").reshape(b.length()));
        }
        // the loss is DL4J's MCXENT score: summed over classes, mean over the minibatch
        double loss = sd.outputSingle(Map.of(SameDiffBench.INPUT, d.getFeatures(), SameDiffBench.LABELS, d.getLabels()),
                SameDiffBench.LOSS).getDouble(0);
        net.setInput(d.getFeatures());
        net.setLabels(d.getLabels());
        net.computeGradientAndScore();
        assertThat(loss).isCloseTo(net.score(), within(1e-5));
    }

    @Test
    void theCopyHasItsOwnParameters() {
        MultiLayerNetwork net = ModelZoo.lenet300100(4);
        SameDiff sd = SameDiffBench.lenetSameDiff(net);
        sd.getArrForVarName("w0").assign(0.0);
        assertThat(net.getParam("0_W").amaxNumber().doubleValue()).isPositive();
    }

    @Test
    void optionsRejectArmsWithoutTheirReferenceAndNameTheOption() {
        assertThatThrownBy(() -> new SameDiffBench.Options(List.of(1L), 2, 128, 0, 1, 100, 0.9, List.of(SameDiffBench.Arm.SD_GMP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--arms: sd-gmp needs mln-gmp");
        assertThatThrownBy(() -> new SameDiffBench.Options(List.of(1L), 2, 128, 0, 1, 100, 0.9,
                List.of(SameDiffBench.Arm.MLN_GMP, SameDiffBench.Arm.MLN_GMP)))
                .hasMessageContaining("--arms names an arm twice");
        assertThatThrownBy(() -> SameDiffBench.Arm.parse("sd-prune"))
                .hasMessageContaining("--arms")
                .hasMessageContaining("sd-prune")
                .hasMessageContaining("sd-dense");
        assertThat(SameDiffBench.Options.protocol().arms()).hasSize(4);
        // a repeated seed would pair one run's SameDiff epochs with the other run's network epochs
        assertThatThrownBy(() -> new SameDiffBench.Options(List.of(2L, 2L), 2, 128, 0, 1, 100, 0.9,
                List.of(SameDiffBench.Arm.MLN_GMP, SameDiffBench.Arm.SD_GMP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--seeds names a seed twice");
    }

    @Test
    void armsAlternateTheirOrderEpochByEpoch() {
        List<String> lines = new ArrayList<>();
        SameDiffBench.run(embedded(), new SameDiffBench.Options(List.of(1L), 2, 128, 0, 1, 100, 0.9,
                List.of(SameDiffBench.Arm.MLN_GMP, SameDiffBench.Arm.SD_GMP)), lines::add);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("epoch  1/2 mln-gmp");
        assertThat(lines.get(1)).contains("epoch  1/2 sd-gmp");
        assertThat(lines.get(2)).contains("epoch  2/2 sd-gmp");
        assertThat(lines.get(3)).contains("epoch  2/2 mln-gmp");
    }

    private static TrainingData embedded() {
        FashionMnist f = FashionMnist.embedded();
        return new TrainingData() {
            @Override
            public String source() {
                return f.source();
            }

            @Override
            public boolean isEmbeddedSubset() {
                return true;
            }

            @Override
            public int trainSize() {
                return f.trainSize();
            }

            @Override
            public int testSize() {
                return f.testSize();
            }

            @Override
            public DataSetIterator trainIterator(int batchSize, long seed) {
                return f.trainIterator(batchSize, seed);
            }

            @Override
            public DataSetIterator testIterator(int batchSize) {
                return f.testIterator(batchSize);
            }
        };
    }
}
