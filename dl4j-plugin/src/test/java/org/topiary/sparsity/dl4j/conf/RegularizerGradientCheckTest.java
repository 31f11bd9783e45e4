package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * DL4J's GradientCheckUtil on networks whose score includes our penalties: it compares the
 * backprop gradient after the updater (NoOp, so only BEFORE_UPDATER regularization is added)
 * with central differences of {@code net.score}, which includes each regularizer's {@code score}
 * on the shaped param. A pass therefore also checks that {@code apply} (flat slice) and {@code
 * score} (shaped param) agree on the layout. Preconditions (GradientCheckUtil's own checks):
 * double precision, NoOp updater, no dropout.
 */
class RegularizerGradientCheckTest {
    private static DataType savedDefault;

    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
    }

    private static boolean check(MultiLayerNetwork net, DataSet ds) {
        return GradientCheckUtil.checkGradients(
                new GradientCheckUtil.MLNConfig()
                        .net(net)
                        .input(ds.getFeatures())
                        .labels(ds.getLabels())
                        .epsilon(1e-6)
                        .maxRelError(1e-5)
                        .minAbsoluteError(1e-9)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                        .exitOnFirstError(false));
    }

    @Test
    void scheduledL1OnWeightsAndBiasesPassesGradientCheck() {
        PiecewiseLinearSchedule ramp = PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0.05, 0.2, 0, 10);
        MultiLayerNetwork net =
                RegNets.dense(DataType.DOUBLE, new NoOp(), 12, i -> List.of(ScheduledL1.of(ramp)),
                        i -> List.of(ScheduledL1.of(0.1)));
        DataSet ds = RegNets.data(DataType.DOUBLE, 3, 6, RegNets.DENSE_IN);
        double plain = RegNets.dense(DataType.DOUBLE, new NoOp(), 12, RegNets::none, RegNets::none).score(ds);
        assertThat(net.score(ds) - plain).as("the penalty is part of the score").isGreaterThan(0.1);
        assertThat(check(net, ds)).isTrue();
    }

    @Test
    void groupLassoOverDenseOutputNeuronsPassesGradientCheck() {
        int[] sizes = {RegNets.DENSE_IN, 16, 12, RegNets.CLASSES};
        MultiLayerNetwork net =
                RegNets.dense(DataType.DOUBLE, new NoOp(), 13,
                        i -> List.of(GroupLasso.outputNeurons(0.05, sizes[i], sizes[i + 1])), RegNets::none);
        DataSet ds = RegNets.data(DataType.DOUBLE, 4, 6, RegNets.DENSE_IN);
        assertThat(check(net, ds)).isTrue();
    }

    @Test
    void groupLassoOverConvolutionFiltersBuiltFromTheLayerConfigPassesGradientCheck() {
        MultiLayerNetwork net =
                RegNets.conv(DataType.DOUBLE, new NoOp(), 14, l -> List.of(GroupLasso.forLayer(0.05, l)));
        assertThat(((GroupLasso) ((org.deeplearning4j.nn.conf.layers.BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getRegularization().get(0))
                .groups()).isEqualTo(ParamGroups.filters(6, 2, 2, 2));
        DataSet ds = RegNets.data(DataType.DOUBLE, 5, 4, 2, 5, 5);
        assertThat(check(net, ds)).isTrue();
    }

    @Test
    void groupLassoWithTheWrongFlatteningOrderFailsGradientCheck() {
        // Negative control: 'c' instead of DL4J's 'f' for dense W makes apply() group the wrong
        // elements while score() (shaped param) is right, and the check must notice.
        int[] sizes = {RegNets.DENSE_IN, 16, 12, RegNets.CLASSES};
        MultiLayerNetwork net =
                RegNets.dense(DataType.DOUBLE, new NoOp(), 13,
                        i -> List.of(GroupLasso.of(0.05, ParamGroups.of(new long[] {sizes[i], sizes[i + 1]}, 'c', 1))),
                        RegNets::none);
        DataSet ds = RegNets.data(DataType.DOUBLE, 4, 6, RegNets.DENSE_IN);
        assertThat(check(net, ds)).isFalse();
    }
}
