package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.topiary.sparsity.dl4j.conf.ProximalGroupLasso;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.dl4j.testkit.TestNets.Fixture;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * The Adam-aware block soft-threshold inside real DL4J training, checked against a hand
 * computation from a twin network that takes the same step without the listener (see {@link
 * AdaptiveProximalL1Test}).
 */
class AdaptiveProximalGroupLassoTest {
    private static final double LR = 0.01;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void everyNeuronIsBlockSoftThresholdedInAdamsMetric() {
        double lambda = 0.02;
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 31);
        MultiLayerNetwork net = (MultiLayerNetwork) fx.model();
        AdaptiveProximalGroupLasso prox = AdaptiveProximalGroupLasso.of(lambda).onLayers("0").attachTo(net);
        assertThat(prox.selectedParamIds()).containsExactly("0_W");
        int nIn = 10;
        int nOut = 16; // 0_W is [10, 16] in 'f' order: neuron j is elements [10j, 10j + 10)
        int zeroGroups = 0;
        for (int step = 1; step <= 15; step++) {
            MultiLayerNetwork twin = net.clone();
            twin.setListeners(List.of());
            twin.fit(fx.batch());
            net.fit(fx.batch());
            float[] z = twin.params().toFloatVector();
            float[] state = twin.getUpdater().getStateViewArray().toFloatVector();
            int n = z.length;
            float[] after = net.params().toFloatVector();
            double bias2 = Math.sqrt(1 - Math.pow(BETA2, step));
            double tau = lambda * Math.sqrt(nIn);
            for (int j = 0; j < nOut; j++) {
                double norm = 0;
                for (int k = 0; k < nIn; k++) {
                    int i = j * nIn + k;
                    double s = LR * bias2 / (Math.sqrt(state[n + i]) + EPS);
                    norm += (z[i] / s) * (z[i] / s);
                }
                norm = Math.sqrt(norm);
                double factor = norm > tau ? 1 - tau / norm : 0.0;
                if (factor == 0.0) {
                    zeroGroups++;
                }
                for (int k = 0; k < nIn; k++) {
                    int i = j * nIn + k;
                    double expected = z[i] * factor;
                    if (factor == 0.0) {
                        assertThat(after[i]).as("step %d neuron %d weight %d", step, j, k).isEqualTo(0f);
                    } else {
                        assertThat((double) after[i]).as("step %d neuron %d weight %d", step, j, k)
                                .isCloseTo(expected, within(1e-6 + 1e-5 * Math.abs(expected)));
                    }
                }
            }
            for (int i = nIn * nOut; i < n; i++) {
                assertThat(after[i]).as("step %d: param %d is not selected", step, i).isEqualTo(z[i]);
            }
        }
        assertThat(zeroGroups).as("the hand computation predicted whole zero neurons").isPositive();
        ParamGroups groups = ParamGroups.outputNeurons(nIn, nOut);
        long zeroWeights = net.getParam("0_W").length()
                - net.getParam("0_W").neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        assertThat(zeroWeights).as("only whole neurons are zero").isEqualTo(groups.zeroGroupCount(net.getParam("0_W")) * nIn);
    }

    @Test
    void underSgdItIsExactlyTheProximalGroupLassoRegularizer() {
        double lambda = 0.5;
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 37);
        MultiLayerConfiguration conf = ((MultiLayerNetwork) a.model()).getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            FeedForwardLayer l = (FeedForwardLayer) c.getLayer();
            List<Regularization> regs = List.of(ProximalGroupLasso.of(lambda, ParamGroups.outputNeurons(l.getNIn(), l.getNOut())));
            ((BaseLayer) l).setRegularization(regs);
        }
        MultiLayerNetwork b = new MultiLayerNetwork(conf);
        b.init(a.model().params().dup(), false);
        AdaptiveProximalGroupLasso.of(lambda).attachTo(a.model());
        for (int i = 0; i < 15; i++) {
            a.fitOnce();
            b.fit(a.batch());
        }
        for (String id : List.of("0_W", "1_W", "2_W")) {
            assertThat(((MultiLayerNetwork) a.model()).getParam(id).equalsWithEps(b.getParam(id), 1e-6)).as(id).isTrue();
        }
        assertThat(ParamGroups.outputNeurons(10, 16).zeroGroupCount(b.getParam("0_W"))).isPositive();
    }

    @Test
    void zeroesWholeFiltersAndWholeGraphNeurons() {
        Fixture cnn = TestNets.build(Arch.CNN_BATCHNORM, new Adam(LR), false, 41);
        AdaptiveProximalGroupLasso.of(0.05).onLayers("0", "3").attachTo(cnn.model());
        Fixture cg = TestNets.build(Arch.CG_MERGE, new Adam(LR), false, 41);
        AdaptiveProximalGroupLasso onGraph = AdaptiveProximalGroupLasso.of(0.05).onLayers("left", "right").attachTo(cg.model());
        for (int i = 0; i < 40; i++) {
            cnn.fitOnce();
            cg.fitOnce();
        }
        INDArray conv = ((MultiLayerNetwork) cnn.model()).getParam("3_W"); // [6, 4, 3, 3]
        ParamGroups filters = ParamGroups.filters(6, 4, 3, 3);
        long zeroFilters = filters.zeroGroupCount(conv);
        long zeroWeights = conv.length() - conv.neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        assertThat(zeroFilters).as("whole filters are zero").isPositive();
        assertThat(zeroWeights).as("and nothing else").isEqualTo(zeroFilters * 4 * 3 * 3);
        INDArray left = ((ComputationGraph) cg.model()).getParam("left_W");
        assertThat(ParamGroups.outputNeurons(10, 12).zeroGroupCount(left)).isPositive();
        assertThat(onGraph.selectedParamIds()).containsExactly("left_W", "right_W");
        assertThat(onGraph.penalty(0, 0)).isPositive();
    }
}
