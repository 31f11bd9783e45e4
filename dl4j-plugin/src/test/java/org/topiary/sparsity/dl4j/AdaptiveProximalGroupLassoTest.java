package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
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
    private static final double BETA1 = 0.9;
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

    @Test
    void aCappedStepIsTheSmallerOfAdamsStepAndKTimesTheMeanMomentStepOnAMultiLayerNetwork() {
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(LR, BETA1, BETA2, EPS), false, 31).model();
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 31);
        AdaptiveProximalGroupLasso prox = AdaptiveProximalGroupLasso.of(0.06).onLayers("0", "1").withThresholdCap(1.1)
                .attachTo(net);
        assertThat(prox.thresholdCap()).isEqualTo(1.1);
        long[] counts = checkCappedGroupSteps(net, fx, prox, 0.06, 1.1, 15);
        assertThat(counts[0]).as("elements whose step the cap lowered").isPositive();
        assertThat(counts[1]).as("elements whose step was below the cap").isPositive();
        assertThat(counts[2]).as("whole zero neurons predicted").isPositive();
    }

    @Test
    void theCapIsTakenPerTensorOnAComputationGraph() {
        ComputationGraph cg = (ComputationGraph) TestNets.build(Arch.CG_MERGE, new Adam(LR, BETA1, BETA2, EPS), false, 43).model();
        Fixture fx = TestNets.build(Arch.CG_MERGE, new Adam(LR), false, 43);
        AdaptiveProximalGroupLasso prox = AdaptiveProximalGroupLasso.of(0.2).withThresholdCap(0.8).attachTo(cg);
        assertThat(prox.selectedParamIds()).containsExactly("left_W", "right_W", "out_W");
        long[] counts = checkCappedGroupSteps(cg, fx, prox, 0.2, 0.8, 12);
        assertThat(counts[0]).as("elements whose step the cap lowered").isPositive();
        assertThat(counts[1]).as("elements whose step was below the cap").isPositive();
        assertThat(counts[2]).as("whole zero neurons predicted").isPositive();
    }

    @Test
    void anInfiniteCapIsTheUncappedFormAndUnderSgdACapOfKScalesLambdaByMinOneK() {
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 37);
        Fixture b = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 37);
        AdaptiveProximalGroupLasso.of(0.03).attachTo(a.model());
        AdaptiveProximalGroupLasso.of(0.03).withThresholdCap(Double.POSITIVE_INFINITY).attachTo(b.model());
        Fixture c = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 41);
        Fixture d = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 41);
        AdaptiveProximalGroupLasso.of(1.0).withThresholdCap(0.5).attachTo(c.model());
        AdaptiveProximalGroupLasso.of(0.5).attachTo(d.model());
        for (int i = 0; i < 10; i++) {
            a.fitOnce();
            b.fitOnce();
            c.fitOnce();
            d.fitOnce();
        }
        assertThat(b.model().params()).isEqualTo(a.model().params());
        assertThat(c.model().params().equalsWithEps(d.model().params(), 1e-7)).isTrue();
        assertThat(ParamGroups.outputNeurons(10, 16).zeroGroupCount(((MultiLayerNetwork) c.model()).getParam("0_W")))
                .as("the scaled threshold still zeroes neurons").isPositive();
    }

    @Test
    void rejectsACapThatIsNotPositive() {
        for (double k : new double[] {0.0, -2.0, Double.NaN}) {
            assertThatThrownBy(() -> AdaptiveProximalGroupLasso.of(0.1).withThresholdCap(k))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("thresholdCap must be > 0")
                    .hasMessageContaining(String.valueOf(k));
        }
        assertThat(AdaptiveProximalGroupLasso.of(0.1).thresholdCap()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(AdaptiveProximalGroupLasso.of(0.1).withThresholdCap(3).onLayers("0").thresholdCap()).isEqualTo(3.0);
        assertThat(AdaptiveProximalGroupLasso.of(0.1).onLayers("0").withThresholdCap(3).toString())
                .contains("thresholdCap=3.0").contains("layers=[0]");
    }

    /**
     * Trains {@code model} (with {@code prox} attached) for {@code steps} steps; before each, a
     * listener-free copy takes the same step, and every element of the model's flattened params is
     * recomputed in double: each column (output neuron) of a selected [nIn, nOut] 'f'-order weight
     * as {@code z_g · max(0, 1 − λ·sqrt(nIn)/‖z_g/s'_g‖₂)} with {@code s'ᵢ = min(sᵢ, k·s̄)} and
     * {@code s̄} from the mean of that tensor's {@code v}; everything else as the copy's value.
     * Returns {capped elements, uncapped elements, zero groups} over all steps.
     */
    private static long[] checkCappedGroupSteps(Model model, Fixture fx, AdaptiveProximalGroupLasso prox, double lambda,
                                                double cap, int steps) {
        long capped = 0;
        long uncapped = 0;
        long zeroGroups = 0;
        List<long[]> tensors = new ArrayList<>(); // {offset, nIn, nOut}
        for (String id : prox.selectedParamIds()) {
            INDArray view = model instanceof MultiLayerNetwork m ? m.getParam(id) : ((ComputationGraph) model).getParam(id);
            assertThat(view.ordering()).as("%s is stored column by column", id).isEqualTo('f');
            tensors.add(new long[] {view.offset(), view.size(0), view.size(1)});
        }
        for (int step = 1; step <= steps; step++) {
            Model twin;
            if (model instanceof MultiLayerNetwork m) {
                MultiLayerNetwork t = m.clone();
                t.setListeners(List.of());
                t.fit(fx.batch());
                twin = t;
                m.fit(fx.batch());
            } else {
                // Not clone(): a cloned ComputationGraph shares its listener list with the original.
                ComputationGraph c = (ComputationGraph) model;
                ComputationGraph t = new ComputationGraph(c.getConfiguration().clone());
                t.init(c.params().dup(), false);
                t.getConfiguration().setIterationCount(c.getConfiguration().getIterationCount());
                t.getConfiguration().setEpochCount(c.getConfiguration().getEpochCount());
                t.getUpdater().getStateViewArray().assign(c.getUpdater().getStateViewArray());
                t.fit(fx.batch());
                twin = t;
                c.fit(fx.batch());
            }
            float[] z = twin.params().toFloatVector();
            float[] state = (twin instanceof MultiLayerNetwork t ? t.getUpdater().getStateViewArray()
                    : ((ComputationGraph) twin).getUpdater().getStateViewArray()).toFloatVector();
            float[] after = model.params().toFloatVector();
            int n = z.length;
            assertThat(state).as("one Adam block: [m | v]").hasSize(2 * n);
            double bias2 = Math.sqrt(1 - Math.pow(BETA2, step));
            boolean[] selected = new boolean[n];
            for (long[] t : tensors) {
                int off = (int) t[0];
                int nIn = (int) t[1];
                int nOut = (int) t[2];
                double meanV = 0;
                for (int i = off; i < off + nIn * nOut; i++) {
                    meanV += state[n + i];
                    selected[i] = true;
                }
                meanV /= nIn * nOut;
                double sBar = LR * bias2 / (Math.sqrt(meanV) + EPS);
                double tau = lambda * Math.sqrt(nIn);
                for (int j = 0; j < nOut; j++) {
                    double norm = 0;
                    for (int k = 0; k < nIn; k++) {
                        int i = off + j * nIn + k;
                        double s = LR * bias2 / (Math.sqrt(state[n + i]) + EPS);
                        if (s > cap * sBar * (1 + 1e-5)) {
                            capped++;
                        } else if (s < cap * sBar * (1 - 1e-5)) {
                            uncapped++;
                        }
                        double sCapped = Math.min(s, cap * sBar);
                        norm += (z[i] / sCapped) * (z[i] / sCapped);
                    }
                    norm = Math.sqrt(norm);
                    double factor = norm > tau ? 1 - tau / norm : 0.0;
                    if (factor == 0.0) {
                        zeroGroups++;
                    }
                    for (int k = 0; k < nIn; k++) {
                        int i = off + j * nIn + k;
                        double expected = z[i] * factor;
                        if (factor == 0.0) {
                            assertThat(after[i]).as("step %d neuron %d weight %d", step, j, k).isEqualTo(0f);
                        } else {
                            assertThat((double) after[i]).as("step %d neuron %d weight %d", step, j, k)
                                    .isCloseTo(expected, within(1e-6 + 1e-5 * Math.abs(expected)));
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (!selected[i]) {
                    assertThat(after[i]).as("step %d: param %d is not selected", step, i).isEqualTo(z[i]);
                }
            }
        }
        return new long[] {capped, uncapped, zeroGroups};
    }
}
