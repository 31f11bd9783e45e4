package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.topiary.sparsity.regularize.GroupLassoPenalty;
import org.topiary.sparsity.regularize.L1Penalty;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * The proximal regularizers inside real DL4J training. Each step is checked against an
 * independent recomputation: an {@link UpdateRecorder} placed before the prox in the layer's list
 * sees {@code w} and the updater's {@code u}; the test recomputes {@code prox(w − u)} with the
 * core penalty and compares with the weights DL4J holds after the step. Exact zeros must match
 * exactly, other values to float rounding.
 */
class ProximalRegularizersTest {
    private static final float TOL = 2e-6f;

    static Stream<Arguments> updaters() {
        return Stream.of(Arguments.of("Sgd", new Sgd(0.1), 0.3), Arguments.of("Adam", new Adam(0.01), 0.5));
    }

    /** Counters over a run: weights that crossed to 0.0 and weights that stayed at 0.0. */
    private record Run(int crossed, int stayed, long finalZeros, long size) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void proximalL1MakesExactZerosThatStayWhileTheThresholdHolds(String name, IUpdater updater, double lambda) {
        UpdateRecorder rec = new UpdateRecorder();
        ProximalL1 prox = ProximalL1.of(lambda);
        MultiLayerNetwork net =
                RegNets.dense(DataType.FLOAT, updater, 21, i -> i == 0 ? List.of(rec, prox) : List.of(), RegNets::none);
        DataSet ds = RegNets.data(DataType.FLOAT, 22, 16, RegNets.DENSE_IN);
        int crossed = 0;
        int stayed = 0;
        for (int step = 0; step < 60; step++) {
            net.fit(ds);
            float[] w0 = rec.param.toFloatVector();
            double t = prox.threshold(rec.lr, rec.iteration, 0);
            float[] expected = L1Penalty.prox(rec.param.sub(rec.update), t).toFloatVector();
            float[] w1 = RegNets.flat(net.getParam("0_W"), 'f').toFloatVector();
            for (int i = 0; i < w1.length; i++) {
                if (expected[i] == 0f) {
                    assertThat(w1[i]).as("%s step %d weight %d", name, step, i).isEqualTo(0f);
                    if (w0[i] == 0f) {
                        stayed++;
                    } else {
                        crossed++;
                    }
                } else {
                    assertThat(Math.abs(w1[i] - expected[i])).as("%s step %d weight %d", name, step, i)
                            .isLessThanOrEqualTo(TOL * Math.max(1f, Math.abs(expected[i])));
                }
            }
        }
        long zeros = net.getParam("0_W").length() - Nd4j.getExecutioner()
                .exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero(net.getParam("0_W"))).getLong(0);
        assertThat(crossed).as("weights that crossed to 0.0").isGreaterThan(10);
        assertThat(stayed).as("zero weights that stayed 0.0 on a later step").isGreaterThan(100);
        assertThat(zeros).as("exact zeros at the end").isGreaterThan(16).isLessThan(160);
    }

    @Test
    void proximalL1UnderSgdIsExactlyIstaOnTheRawGradient() {
        // With Sgd the update is lr * g, so prox(w - lr g, lr λ) is one ISTA step.
        UpdateRecorder rec = new UpdateRecorder();
        MultiLayerNetwork net =
                RegNets.dense(DataType.FLOAT, new Sgd(0.1), 23, i -> i == 0 ? List.of(rec, ProximalL1.of(0.2)) : List.of(),
                        RegNets::none);
        DataSet ds = RegNets.data(DataType.FLOAT, 24, 16, RegNets.DENSE_IN);
        net.fit(ds);
        assertThat(rec.lr).isEqualTo(0.1);
        assertThat(rec.calls).isEqualTo(1);
        INDArray expected = L1Penalty.prox(rec.param.sub(rec.update), 0.1 * 0.2);
        assertThat(RegNets.flat(net.getParam("0_W"), 'f').equalsWithEps(expected, 1e-6)).isTrue();
    }

    static Stream<Arguments> groupCases() {
        return Stream.of(
                Arguments.of("dense/Sgd", false, new Sgd(0.1), 0.05),
                Arguments.of("dense/Adam", false, new Adam(0.01), 1.0),
                Arguments.of("conv/Sgd", true, new Sgd(0.1), 0.2),
                Arguments.of("conv/Adam", true, new Adam(0.01), 1.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupCases")
    void proximalGroupLassoZeroesWholeGroupsOnlyAndKeepsThemZero(String name, boolean conv, IUpdater updater, double lambda) {
        UpdateRecorder rec = new UpdateRecorder();
        ProximalGroupLasso[] prox = new ProximalGroupLasso[1];
        MultiLayerNetwork net;
        DataSet ds;
        char order;
        if (conv) {
            net = RegNets.conv(DataType.FLOAT, updater, 31, l -> {
                if (prox[0] == null) { // the first layer: the convolution
                    prox[0] = ProximalGroupLasso.forLayer(lambda, l);
                    return List.<Regularization>of(rec, prox[0]);
                }
                return List.of();
            });
            ds = RegNets.data(DataType.FLOAT, 32, 16, 2, 5, 5);
            order = 'c';
        } else {
            prox[0] = ProximalGroupLasso.outputNeurons(lambda, RegNets.DENSE_IN, 16);
            net = RegNets.dense(DataType.FLOAT, updater, 33, i -> i == 0 ? List.of(rec, prox[0]) : List.of(), RegNets::none);
            ds = RegNets.data(DataType.FLOAT, 34, 16, RegNets.DENSE_IN);
            order = 'f';
        }
        ParamGroups groups = prox[0].groups();
        int crossed = 0;
        int stayed = 0;
        for (int step = 0; step < 60; step++) {
            net.fit(ds);
            INDArray w0 = groups.shaped(rec.param);
            double t = prox[0].threshold(rec.lr, rec.iteration, 0);
            INDArray expected = GroupLassoPenalty.prox(w0.sub(groups.shaped(rec.update)), groups, t);
            INDArray w1 = net.getParam("0_W");
            float[] n0 = groups.norms(w0).toFloatVector();
            float[] nExp = groups.norms(expected).toFloatVector();
            float[] e = RegNets.flat(expected, order).toFloatVector();
            float[] a = RegNets.flat(w1, order).toFloatVector();
            long size = groups.groupSize();
            for (int g = 0; g < nExp.length; g++) {
                for (long k = g * size; k < (g + 1) * size; k++) {
                    int i = (int) k;
                    if (nExp[g] == 0f) {
                        assertThat(a[i]).as("%s step %d group %d", name, step, g).isEqualTo(0f);
                    } else {
                        assertThat(Math.abs(a[i] - e[i])).as("%s step %d group %d", name, step, g)
                                .isLessThanOrEqualTo(TOL * Math.max(1f, Math.abs(e[i])));
                    }
                }
                if (nExp[g] == 0f) {
                    if (n0[g] == 0f) {
                        stayed++;
                    } else {
                        crossed++;
                    }
                }
            }
            assertThat(a).as("groups are zero as a whole or not at all").satisfies(v -> assertWholeGroups(v, size, name));
        }
        long zeroGroups = groups.zeroGroupCount(net.getParam("0_W"));
        assertThat(crossed).as("groups that crossed to 0.0").isGreaterThan(0);
        assertThat(stayed).as("zero groups that stayed 0.0").isGreaterThan(10);
        assertThat(zeroGroups).as("zero groups at the end").isGreaterThan(0).isLessThan(groups.groupCount());
    }

    /** In an order where groups are contiguous: every group is all 0.0 or has no 0.0 at all. */
    private static void assertWholeGroups(float[] flat, long size, String name) {
        for (int g = 0; g < flat.length / size; g++) {
            int zeros = 0;
            for (long k = g * size; k < (g + 1) * size; k++) {
                if (flat[(int) k] == 0f) {
                    zeros++;
                }
            }
            assertThat(zeros).as("%s: zeros in group %d", name, g).isIn(0, (int) size);
        }
    }
}
