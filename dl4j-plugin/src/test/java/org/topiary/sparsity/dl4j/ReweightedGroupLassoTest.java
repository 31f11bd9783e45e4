package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule;
import org.topiary.sparsity.dl4j.conf.ProximalGroupLasso;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.dl4j.testkit.TestNets.Fixture;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * The reweighted block soft-threshold inside real DL4J training, checked against a hand
 * computation from a twin network that takes the same step without the listener (as in {@link
 * AdaptiveProximalL1Test}).
 */
class ReweightedGroupLassoTest {
    private static final double LR = 0.01;

    @Test
    void weightsAreTakenAtTheFirstActiveStepAndScaleEachNeuronsThreshold() {
        double lambda = 5.0;
        double gamma = 1.5;
        int start = 3; // λ is 0 for iterations 0-2, so the reference is the weights after step 4's update
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 53);
        MultiLayerNetwork net = (MultiLayerNetwork) fx.model();
        ReweightedGroupLasso prox = ReweightedGroupLasso.of(PiecewiseLinearSchedule.of(ScheduleType.ITERATION,
                new int[] {start, start}, new double[] {0.0, lambda}), gamma).onLayers("0").attachTo(net);
        assertThat(prox.selectedParamIds()).containsExactly("0_W");
        int nIn = 10;
        int nOut = 16; // 0_W is [10, 16] in 'f' order: neuron j is elements [10j, 10j + 10)
        double[] c = null;
        int zeroGroups = 0;
        for (int step = 1; step <= 14; step++) {
            MultiLayerNetwork twin = net.clone();
            twin.setListeners(List.of());
            twin.fit(fx.batch());
            net.fit(fx.batch());
            float[] z = twin.params().toFloatVector();
            float[] after = net.params().toFloatVector();
            if (step <= start) {
                assertThat(after).as("step %d: λ = 0 leaves the step alone", step).containsExactly(z);
                assertThat(prox.groupWeights()).isEmpty();
                continue;
            }
            if (c == null) {
                double[] norms = new double[nOut];
                double mean = 0;
                for (int j = 0; j < nOut; j++) {
                    for (int k = 0; k < nIn; k++) {
                        norms[j] += (double) z[j * nIn + k] * z[j * nIn + k];
                    }
                    norms[j] = Math.sqrt(norms[j]);
                    mean += norms[j] / nOut;
                }
                c = new double[nOut];
                for (int j = 0; j < nOut; j++) {
                    c[j] = Math.pow(norms[j] / mean, -gamma);
                }
                assertThat(prox.groupWeights().get("0_W")).containsExactly(c, within(1e-5));
            }
            for (int j = 0; j < nOut; j++) {
                double norm = 0;
                for (int k = 0; k < nIn; k++) {
                    norm += (double) z[j * nIn + k] * z[j * nIn + k];
                }
                norm = Math.sqrt(norm);
                double tau = LR * lambda * c[j] * Math.sqrt(nIn);
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
            for (int i = nIn * nOut; i < z.length; i++) {
                assertThat(after[i]).as("step %d: param %d is not selected", step, i).isEqualTo(z[i]);
            }
        }
        assertThat(zeroGroups).as("the hand computation predicted whole zero neurons").isPositive();
        assertThat(prox.groupWeights().get("0_W")).as("fixed after the first active step").containsExactly(c, within(1e-5));
    }

    @Test
    void gammaZeroIsExactlyTheProximalGroupLassoRegularizerUnderAdam() {
        double lambda = 3.0;
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 59);
        MultiLayerConfiguration conf = ((MultiLayerNetwork) a.model()).getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration nc : conf.getConfs()) {
            FeedForwardLayer l = (FeedForwardLayer) nc.getLayer();
            List<Regularization> regs = List.of(ProximalGroupLasso.of(lambda, ParamGroups.outputNeurons(l.getNIn(), l.getNOut())));
            ((BaseLayer) l).setRegularization(regs);
        }
        MultiLayerNetwork b = new MultiLayerNetwork(conf);
        b.init(a.model().params().dup(), false);
        ReweightedGroupLasso listener = ReweightedGroupLasso.of(lambda, 0.0).attachTo(a.model());
        for (int i = 0; i < 15; i++) {
            a.fitOnce();
            b.fit(a.batch());
        }
        for (String id : List.of("0_W", "1_W", "2_W")) {
            assertThat(((MultiLayerNetwork) a.model()).getParam(id).equalsWithEps(b.getParam(id), 1e-6)).as(id).isTrue();
            assertThat(listener.groupWeights().get(id)).containsOnly(1.0);
        }
        assertThat(ParamGroups.outputNeurons(10, 16).zeroGroupCount(b.getParam("0_W"))).isPositive();
    }

    @Test
    void onAComputationGraphTheSmallestNeuronGetsTheLargestWeightAndZeroNeuronsStayZero() {
        Fixture cg = TestNets.build(Arch.CG_MERGE, new Adam(LR), false, 61);
        ComputationGraph graph = (ComputationGraph) cg.model();
        graph.getParam("left_W").getColumn(3).assign(0.0); // a neuron that is zero when the penalty starts
        ReweightedGroupLasso prox = ReweightedGroupLasso.of(0.3, 2.0).onLayers("left", "right").attachTo(graph);
        cg.fitOnce();
        Map<String, double[]> w = prox.groupWeights();
        assertThat(w.keySet()).containsExactly("left_W", "right_W");
        assertThat(w.get("left_W")[3]).isEqualTo(Double.POSITIVE_INFINITY);
        double[] norms = ParamGroups.outputNeurons(10, 8).norms(graph.getParam("right_W")).toDoubleVector();
        int smallest = 0;
        int largest = 0;
        for (int j = 1; j < norms.length; j++) {
            smallest = norms[j] < norms[smallest] ? j : smallest;
            largest = norms[j] > norms[largest] ? j : largest;
        }
        double[] right = w.get("right_W");
        for (double v : right) {
            assertThat(v).isBetween(right[largest], right[smallest]);
        }
        assertThat(right[largest]).isLessThan(1.0);
        assertThat(right[smallest]).isGreaterThan(1.0);
        for (int i = 0; i < 30; i++) {
            cg.fitOnce();
        }
        INDArray left = graph.getParam("left_W");
        assertThat(left.getColumn(3).sumNumber().doubleValue()).as("weight +∞ holds the neuron at zero").isZero();
        assertThat(ParamGroups.outputNeurons(10, 12).zeroGroupCount(left)).isPositive();
    }

    @Test
    void rejectsABadGammaAnUnsupportedUpdaterAndAnotherModel() {
        for (double g : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ReweightedGroupLasso.of(0.1, g))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("gamma must be >= 0 and finite")
                    .hasMessageContaining(String.valueOf(g));
        }
        Fixture rms = TestNets.build(Arch.MLN_DENSE, new RmsProp(LR), false, 67);
        ReweightedGroupLasso.of(0.1, 1.0).attachTo(rms.model());
        assertThatThrownBy(rms::fitOnce).hasMessageContaining("ReweightedGroupLasso").hasMessageContaining("RmsProp");
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 67);
        Fixture b = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 67);
        ReweightedGroupLasso shared = ReweightedGroupLasso.of(0.1, 1.0).attachTo(a.model());
        assertThatThrownBy(() -> shared.attachTo(b.model())).hasMessageContaining("bound to another model");
        assertThat(shared.toString()).contains("gamma=1.0");
        assertThat(shared.gamma()).isEqualTo(1.0);
    }
}
