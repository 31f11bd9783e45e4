package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule;
import org.topiary.sparsity.dl4j.conf.ProximalL1;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.dl4j.testkit.TestNets.Fixture;

/**
 * The Adam-aware proximal step inside real DL4J training, checked against a hand computation: a
 * twin network without the listener takes the same step from the same state, so its weights are
 * {@code w − u} and its Adam state holds the {@code m} and {@code v} of that step; the test
 * recomputes Adam's per-element step and the soft-threshold element by element in double.
 */
class AdaptiveProximalL1Test {
    private static final double LR = 0.01;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    @Test
    void adamStepIsSoftThresholdedByLambdaTimesAdamsOwnPerWeightStep() {
        double lambda = 0.05;
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(LR, BETA1, BETA2, EPS), false, 3).model();
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 3);
        AdaptiveProximalL1 prox = AdaptiveProximalL1.of(lambda).onLayers("0").attachTo(net);
        assertThat(prox.selectedParamIds()).containsExactly("0_W");
        int nW = (int) net.getParam("0_W").length(); // first in the flattened params, 'f' order
        long zerosSeen = 0;
        for (int step = 1; step <= 12; step++) {
            float[] before = net.params().dup().toFloatVector();
            MultiLayerNetwork twin = net.clone();
            twin.setListeners(List.of());
            assertThat(twin.getUpdater().getStateViewArray()).isEqualTo(net.getUpdater().getStateViewArray());
            twin.fit(fx.batch());
            net.fit(fx.batch());

            float[] z = twin.params().toFloatVector(); // w − u
            float[] state = twin.getUpdater().getStateViewArray().toFloatVector(); // one block: [m | v]
            int n = before.length;
            float[] after = net.params().toFloatVector();
            double bias1 = 1 - Math.pow(BETA1, step);
            double bias2 = Math.sqrt(1 - Math.pow(BETA2, step));
            for (int i = 0; i < n; i++) {
                double m = state[i];
                double v = state[n + i];
                double s = LR * bias2 / (Math.sqrt(v) + EPS); // Adam's step on m̂ = m / (1 − β₁ᵗ)
                double u = before[i] - (double) z[i];
                assertThat(u).as("step %d: the update is s·m̂ (param %d)", step, i)
                        .isCloseTo(s * m / bias1, within(2e-6 + 1e-4 * Math.abs(u)));
                if (i >= nW) {
                    assertThat(after[i]).as("step %d: param %d is not selected", step, i).isEqualTo(z[i]);
                    continue;
                }
                double t = lambda * s;
                double expected = Math.signum(z[i]) * Math.max(Math.abs(z[i]) - t, 0.0);
                if (expected == 0.0) {
                    assertThat(after[i]).as("step %d weight %d", step, i).isEqualTo(0f);
                    zerosSeen++;
                } else {
                    assertThat((double) after[i]).as("step %d weight %d", step, i)
                            .isCloseTo(expected, within(1e-6 + 1e-5 * Math.abs(expected)));
                }
            }
        }
        assertThat(zerosSeen).as("the hand computation predicted exact zeros").isPositive();
    }

    @Test
    void aCappedThresholdIsLambdaTimesTheSmallerOfAdamsStepAndKTimesTheMeanMomentStep() {
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(LR, BETA1, BETA2, EPS), false, 3).model();
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 3);
        AdaptiveProximalL1 prox = AdaptiveProximalL1.of(0.05).onLayers("0", "2").withThresholdCap(1.2).attachTo(net);
        assertThat(prox.thresholdCap()).isEqualTo(1.2);
        long[] counts = checkCappedSteps(net, fx, prox, 0.05, 1.2, 12);
        assertThat(counts[0]).as("weights whose threshold the cap lowered").isPositive();
        assertThat(counts[1]).as("weights whose threshold was below the cap").isPositive();
        assertThat(counts[2]).as("exact zeros predicted").isPositive();
    }

    @Test
    void theCapIsAppliedPerTensorOnAComputationGraph() {
        ComputationGraph cg = (ComputationGraph) TestNets.build(Arch.CG_MERGE, new Adam(LR, BETA1, BETA2, EPS), false, 31).model();
        Fixture fx = TestNets.build(Arch.CG_MERGE, new Adam(LR), false, 31);
        AdaptiveProximalL1 prox = AdaptiveProximalL1.of(0.05).withThresholdCap(0.8).attachTo(cg);
        long[] counts = checkCappedSteps(cg, fx, prox, 0.05, 0.8, 10);
        assertThat(prox.selectedParamIds()).containsExactly("left_W", "right_W", "out_W");
        assertThat(counts[0]).isPositive();
        assertThat(counts[1]).isPositive();
        assertThat(counts[2]).isPositive();
    }

    @Test
    void anInfiniteCapIsTheUncappedStepAndUnderSgdACapOfKScalesTheThresholdByMinOneK() {
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 37);
        Fixture b = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 37);
        AdaptiveProximalL1.of(0.05).attachTo(a.model());
        AdaptiveProximalL1.of(0.05).withThresholdCap(Double.POSITIVE_INFINITY).attachTo(b.model());
        Fixture c = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 41);
        Fixture d = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 41);
        AdaptiveProximalL1.of(0.3).withThresholdCap(0.5).attachTo(c.model());
        AdaptiveProximalL1.of(0.15).attachTo(d.model());
        for (int i = 0; i < 8; i++) {
            a.fitOnce();
            b.fitOnce();
            c.fitOnce();
            d.fitOnce();
        }
        assertThat(b.model().params()).isEqualTo(a.model().params());
        assertThat(c.model().params().equalsWithEps(d.model().params(), 1e-7)).isTrue();
        assertThat(zeros(((MultiLayerNetwork) c.model()).getParam("0_W"))).isPositive();
    }

    @Test
    void reweightingMultipliesEachCappedThresholdByTheWeightsInverseRelativeMagnitudeAtTheFirstActiveStep() {
        double lambda = 0.3;
        double cap = 1.5;
        double gamma = 1.0;
        int start = 3; // λ is 0 for iterations 0-2: the reference is the weights after step 4's update
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(LR, BETA1, BETA2, EPS), false, 5).model();
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 5);
        AdaptiveProximalL1 prox = AdaptiveProximalL1.of(PiecewiseLinearSchedule.of(ScheduleType.ITERATION,
                        new int[] {start, start}, new double[] {0.0, lambda}))
                .onLayers("0").withThresholdCap(cap).withReweighting(gamma).attachTo(net);
        assertThat(prox.reweightGamma()).isEqualTo(gamma);
        int nW = (int) net.getParam("0_W").length(); // first in the flattened params, 'f' order
        double[] c = null;
        long zerosSeen = 0;
        for (int step = 1; step <= 12; step++) {
            MultiLayerNetwork twin = net.clone();
            twin.setListeners(List.of());
            twin.fit(fx.batch());
            net.fit(fx.batch());
            float[] z = twin.params().toFloatVector();
            float[] state = twin.getUpdater().getStateViewArray().toFloatVector();
            int n = z.length;
            float[] after = net.params().toFloatVector();
            if (step <= start) {
                assertThat(after).as("step %d: λ = 0", step).containsExactly(z);
                assertThat(prox.reweights()).isEmpty();
                continue;
            }
            if (c == null) {
                double mean = 0;
                for (int i = 0; i < nW; i++) {
                    mean += Math.abs(z[i]) / nW;
                }
                c = new double[nW];
                float[] got = prox.reweights().get("0_W");
                for (int i = 0; i < nW; i++) {
                    c[i] = z[i] == 0f ? Double.POSITIVE_INFINITY : Math.pow(Math.abs(z[i]) / mean, -gamma);
                    assertThat((double) got[i]).as("c of weight %d", i).isCloseTo(c[i], within(1e-4 * c[i]));
                }
            }
            double bias2 = Math.sqrt(1 - Math.pow(BETA2, step));
            double meanV = 0;
            for (int i = 0; i < nW; i++) {
                meanV += state[n + i] / (double) nW;
            }
            double sBar = LR * bias2 / (Math.sqrt(meanV) + EPS);
            for (int i = 0; i < n; i++) {
                if (i >= nW) {
                    assertThat(after[i]).as("step %d: param %d is not selected", step, i).isEqualTo(z[i]);
                    continue;
                }
                double sI = LR * bias2 / (Math.sqrt(state[n + i]) + EPS);
                double t = lambda * Math.min(sI, cap * sBar) * c[i];
                double expected = Math.signum(z[i]) * Math.max(Math.abs(z[i]) - t, 0.0);
                if (expected == 0.0) {
                    assertThat(after[i]).as("step %d weight %d", step, i).isEqualTo(0f);
                    zerosSeen++;
                } else {
                    assertThat((double) after[i]).as("step %d weight %d", step, i)
                            .isCloseTo(expected, within(2e-6 + 1e-4 * Math.abs(expected)));
                }
            }
        }
        assertThat(zerosSeen).as("the hand computation predicted exact zeros").isPositive();
    }

    @Test
    void reweightingUnderSgdUsesTheFactorsInTheParamsShapeAndGammaZeroIsOff() {
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 43);
        Fixture b = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 43);
        AdaptiveProximalL1.of(0.05).withReweighting(0.0).attachTo(a.model());
        AdaptiveProximalL1.of(0.05).attachTo(b.model());
        Fixture c = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 47);
        AdaptiveProximalL1 rw = AdaptiveProximalL1.of(0.05).onLayers("1").withReweighting(2.0).attachTo(c.model());
        INDArray w1 = ((MultiLayerNetwork) c.model()).getParam("1_W");
        for (int i = 0; i < 6; i++) {
            a.fitOnce();
            b.fitOnce();
            MultiLayerNetwork twin = ((MultiLayerNetwork) c.model()).clone();
            twin.setListeners(List.of());
            twin.fit(c.batch());
            c.fitOnce();
            float[] z = twin.getParam("1_W").dup('f').data().asFloat();
            float[] after = w1.dup('f').data().asFloat();
            float[] cs = rw.reweights().get("1_W");
            for (int j = 0; j < z.length; j++) {
                double t = 0.1 * 0.05 * cs[j];
                double expected = Math.signum(z[j]) * Math.max(Math.abs(z[j]) - t, 0.0);
                assertThat((double) after[j]).as("step %d weight %d", i, j).isCloseTo(expected, within(1e-6));
            }
        }
        assertThat(a.model().params()).isEqualTo(b.model().params());
        assertThat(rw.toString()).contains("reweightGamma=2.0");
        for (double g : new double[] {-1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> AdaptiveProximalL1.of(0.1).withReweighting(g))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reweightGamma must be >= 0 and finite")
                    .hasMessageContaining(String.valueOf(g));
        }
    }

    @Test
    void rejectsACapThatIsNotPositive() {
        for (double k : new double[] {0.0, -1.0, Double.NaN}) {
            assertThatThrownBy(() -> AdaptiveProximalL1.of(0.1).withThresholdCap(k))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("thresholdCap must be > 0")
                    .hasMessageContaining(String.valueOf(k));
        }
        assertThat(AdaptiveProximalL1.of(0.1).thresholdCap()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(AdaptiveProximalL1.of(0.1).withThresholdCap(2).onLayers("0").thresholdCap()).isEqualTo(2.0);
    }

    /**
     * Trains {@code model} (with {@code prox} attached) for {@code steps} steps; before each, a
     * listener-free clone takes the same step, and every element of the model's flattened params is
     * recomputed in double: selected weights (the ranges of {@code prox}'s param views) as {@code
     * prox(z, λ·min(sᵢ, k·s̄))} with {@code s̄} from the mean of that tensor's {@code v}, everything
     * else as the clone's value. Returns {capped, uncapped, zeros} counts over all steps.
     */
    private static long[] checkCappedSteps(Model model, Fixture fx, AdaptiveProximalL1 prox, double lambda, double cap,
                                           int steps) {
        long capped = 0;
        long uncapped = 0;
        long zerosSeen = 0;
        List<long[]> ranges = new java.util.ArrayList<>();
        for (String id : prox.selectedParamIds()) {
            INDArray view = model instanceof MultiLayerNetwork m ? m.getParam(id) : ((ComputationGraph) model).getParam(id);
            ranges.add(new long[] {view.offset(), view.offset() + view.length()});
        }
        for (int step = 1; step <= steps; step++) {
            float[] before = model.params().dup().toFloatVector();
            Model twin;
            if (model instanceof MultiLayerNetwork m) {
                MultiLayerNetwork t = m.clone();
                t.setListeners(List.of());
                t.fit(fx.batch());
                twin = t;
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
            }
            if (model instanceof MultiLayerNetwork m) {
                m.fit(fx.batch());
            } else {
                ((ComputationGraph) model).fit(fx.batch());
            }
            float[] z = twin.params().toFloatVector();
            float[] state = (twin instanceof MultiLayerNetwork t ? t.getUpdater().getStateViewArray()
                    : ((ComputationGraph) twin).getUpdater().getStateViewArray()).toFloatVector();
            float[] after = model.params().toFloatVector();
            int n = before.length;
            assertThat(state).as("one Adam block: [m | v]").hasSize(2 * n);
            double bias1 = 1 - Math.pow(BETA1, step);
            double bias2 = Math.sqrt(1 - Math.pow(BETA2, step));
            boolean[] selected = new boolean[n];
            for (long[] r : ranges) {
                double meanV = 0;
                for (long i = r[0]; i < r[1]; i++) {
                    meanV += state[n + (int) i];
                    selected[(int) i] = true;
                }
                meanV /= r[1] - r[0];
                double sBar = LR * bias2 / (Math.sqrt(meanV) + EPS);
                for (int i = (int) r[0]; i < r[1]; i++) {
                    double v = state[n + i];
                    double s = LR * bias2 / (Math.sqrt(v) + EPS);
                    double u = before[i] - (double) z[i];
                    assertThat(u).as("step %d: the update is s·m̂ (param %d)", step, i)
                            .isCloseTo(s * state[i] / bias1, within(2e-6 + 1e-4 * Math.abs(u)));
                    if (s > cap * sBar * (1 + 1e-5)) {
                        capped++;
                    } else if (s < cap * sBar * (1 - 1e-5)) {
                        uncapped++;
                    }
                    double t = lambda * Math.min(s, cap * sBar);
                    double expected = Math.signum(z[i]) * Math.max(Math.abs(z[i]) - t, 0.0);
                    if (expected == 0.0) {
                        assertThat(after[i]).as("step %d weight %d", step, i).isEqualTo(0f);
                        zerosSeen++;
                    } else {
                        assertThat((double) after[i]).as("step %d weight %d", step, i)
                                .isCloseTo(expected, within(1e-6 + 1e-5 * Math.abs(expected)));
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (!selected[i]) {
                    assertThat(after[i]).as("step %d: param %d is not selected", step, i).isEqualTo(z[i]);
                }
            }
        }
        return new long[] {capped, uncapped, zerosSeen};
    }

    @Test
    void underSgdItIsExactlyTheProximalL1Regularizer() {
        double lambda = 0.3;
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Sgd(0.1), false, 5);
        MultiLayerNetwork withRegularizer = withWeightRegularizer(new Sgd(0.1), ProximalL1.of(lambda), 5);
        withRegularizer.setParams(a.model().params().dup());
        AdaptiveProximalL1.of(lambda).attachTo(a.model());
        for (int i = 0; i < 15; i++) {
            a.fitOnce();
            withRegularizer.fit(a.batch());
        }
        for (String id : List.of("0_W", "1_W", "2_W")) {
            INDArray w = ((MultiLayerNetwork) a.model()).getParam(id);
            assertThat(w.equalsWithEps(withRegularizer.getParam(id), 1e-6)).as(id).isTrue();
        }
        assertThat(zeros(((MultiLayerNetwork) a.model()).getParam("0_W"))).isPositive();
    }

    @Test
    void zerosAppearAndMostStayUnderAdamAndTheBiasesAreNeverTouched() {
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 7);
        MultiLayerNetwork net = (MultiLayerNetwork) fx.model();
        AdaptiveProximalL1.of(0.1).attachTo(net);
        for (int i = 0; i < 40; i++) {
            fx.fitOnce();
        }
        INDArray zero1 = net.getParam("0_W").eq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT);
        for (int i = 0; i < 10; i++) {
            fx.fitOnce();
        }
        INDArray zero2 = net.getParam("0_W").eq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT);
        long before = zero1.sumNumber().longValue();
        long kept = zero1.mul(zero2).sumNumber().longValue();
        assertThat(before).as("exact zeros in 0_W after 40 Adam steps").isGreaterThan(net.getParam("0_W").length() / 4);
        assertThat((double) kept / before).as("zeros still zero 10 steps later").isGreaterThan(0.8);
        for (String b : List.of("0_b", "1_b", "2_b")) {
            assertThat(zeros(net.getParam(b))).as(b).isZero();
        }
    }

    @Test
    void worksOnAComputationGraphAndOnConvolutionWeights() {
        Fixture cg = TestNets.build(Arch.CG_MERGE, new Adam(LR), false, 11);
        AdaptiveProximalL1 onGraph = AdaptiveProximalL1.of(0.1).attachTo(cg.model());
        Fixture cnn = TestNets.build(Arch.CNN_BATCHNORM, new Adam(LR), false, 11);
        AdaptiveProximalL1 onCnn = AdaptiveProximalL1.of(0.1).attachTo(cnn.model());
        for (int i = 0; i < 30; i++) {
            cg.fitOnce();
            cnn.fitOnce();
        }
        assertThat(onGraph.selectedParamIds()).containsExactly("left_W", "right_W", "out_W");
        for (String id : onGraph.selectedParamIds()) {
            assertThat(zeros(((ComputationGraph) cg.model()).getParam(id))).as(id).isPositive();
        }
        assertThat(onCnn.selectedParamIds()).contains("0_W", "3_W");
        assertThat(zeros(((MultiLayerNetwork) cnn.model()).getParam("0_W"))).as("conv weights").isPositive();
        assertThat(onGraph.penalty(0, 0)).isCloseTo(0.1 * l1(cg.model(), onGraph.selectedParamIds()), within(1e-6));
    }

    @Test
    void continuesIdenticallyAfterSaveAndRestoreWithTheUpdaterState(@TempDir Path dir) throws Exception {
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 13);
        MultiLayerNetwork net = (MultiLayerNetwork) fx.model();
        AdaptiveProximalL1.of(0.05).attachTo(net);
        for (int i = 0; i < 5; i++) {
            fx.fitOnce();
        }
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        AdaptiveProximalL1.of(0.05).attachTo(restored);
        for (int i = 0; i < 5; i++) {
            fx.fitOnce();
            restored.fit(fx.batch());
        }
        assertThat(restored.params().equalsWithEps(net.params(), 1e-7)).isTrue();
        assertThat(zeros(restored.getParam("0_W"))).isPositive();
    }

    @Test
    void aScheduledLambdaOfZeroLeavesTheStepAlone() {
        Fixture a = TestNets.build(Arch.MLN_DENSE, new Nesterovs(0.05, 0.9), false, 17);
        Fixture b = TestNets.build(Arch.MLN_DENSE, new Nesterovs(0.05, 0.9), false, 17);
        // 0 for the first 5 iterations, then 0.5
        AdaptiveProximalL1.of(PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {5, 5}, new double[] {0, 0.5}))
                .attachTo(a.model());
        for (int i = 0; i < 5; i++) {
            a.fitOnce();
            b.fitOnce();
        }
        assertThat(a.model().params()).isEqualTo(b.model().params());
        a.fitOnce();
        assertThat(zeros(((MultiLayerNetwork) a.model()).getParam("0_W"))).isPositive();
    }

    @Test
    void keepsPrunedWeightsAtZeroAlongsideThePruningListener() {
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 19);
        MultiLayerNetwork net = (MultiLayerNetwork) fx.model();
        PruningListener pruning = PruningListener.attach(net, PruningConfig.oneShot(0.5, 2));
        AdaptiveProximalL1.of(0.01).attachTo(net);
        for (int i = 0; i < 20; i++) {
            fx.fitOnce();
        }
        INDArray mask = pruning.state().mask("0_W");
        INDArray w = net.getParam("0_W");
        INDArray pruned = w.mul(mask.castTo(w.dataType()).rsub(1.0));
        assertThat(pruned.norm1Number().doubleValue()).isZero();
        assertThat(pruning.report().toTable()).isNotEmpty();
    }

    @Test
    void rejectsUnsupportedUpdatersUnknownLayersAndNegativeLambda() {
        Fixture rms = TestNets.build(Arch.MLN_DENSE, new RmsProp(0.01), false, 23);
        AdaptiveProximalL1.of(0.1).attachTo(rms.model());
        assertThatThrownBy(rms::fitOnce)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("param '0_W' is trained by RmsProp; supported updaters: Adam, Sgd, Nesterovs");
        Fixture fx = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 23);
        assertThatThrownBy(() -> AdaptiveProximalL1.of(0.1).onLayers("fc9").attachTo(fx.model()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("layer 'fc9' (in layers) matches no layer of the model");
        assertThatThrownBy(() -> AdaptiveProximalL1.of(-1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lambda");
        AdaptiveProximalL1 unbound = AdaptiveProximalL1.of(0.1);
        assertThatThrownBy(unbound::selectedParamIds).isInstanceOf(IllegalStateException.class);
        Fixture other = TestNets.build(Arch.MLN_DENSE, new Adam(LR), false, 29);
        AdaptiveProximalL1 bound = AdaptiveProximalL1.of(0.1).attachTo(fx.model());
        assertThatThrownBy(() -> bound.attachTo(other.model()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bound to another model");
    }

    private static MultiLayerNetwork withWeightRegularizer(
            org.nd4j.linalg.learning.config.IUpdater updater, ProximalL1 reg, long seed) {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf =
                ((MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, updater, false, seed).model()).getLayerWiseConfigurations().clone();
        for (org.deeplearning4j.nn.conf.NeuralNetConfiguration c : conf.getConfs()) {
            ((org.deeplearning4j.nn.conf.layers.BaseLayer) c.getLayer()).setRegularization(List.of(reg));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static long zeros(INDArray a) {
        return a.length() - a.neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
    }

    private static double l1(Model m, List<String> ids) {
        double s = 0;
        for (String id : ids) {
            s += ((ComputationGraph) m).getParam(id).norm1Number().doubleValue();
        }
        return s;
    }
}
