package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.sparsity.dl4j.LayerGroups;
import org.topiary.sparsity.regularize.ParamGroups;

/** Bad arguments fail early with a message that names the field, the rule and the value. */
class RegularizerValidationTest {

    @Test
    void negativeOrNonFiniteCoefficientsNameTheField() {
        assertThatThrownBy(() -> ScheduledL1.of(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lambda must be >= 0 and finite, found -1");
        assertThatThrownBy(() -> ProximalL1.of(Double.NaN)).hasMessage("lambda must be >= 0 and finite, found NaN");
        assertThatThrownBy(() -> GroupLasso.outputNeurons(Double.POSITIVE_INFINITY, 3, 4))
                .hasMessage("lambda must be >= 0 and finite, found Infinity");
        assertThatThrownBy(() -> ProximalGroupLasso.outputNeurons(-0.5, 3, 4))
                .hasMessage("lambda must be >= 0 and finite, found -0.5");
        assertThatThrownBy(() -> ProximalL1.of((ISchedule) null)).hasMessage("lambda must not be null");
        assertThatThrownBy(() -> ScheduledL1.of(new FixedSchedule(-0.1)))
                .hasMessage("lambda at iteration 0, epoch 0 must be >= 0 and finite, found -0.1");
    }

    @Test
    void aScheduleThatTurnsNegativeLaterFailsWhenUsedNamingTheRegularizerAndPosition() {
        ProximalL1 r = ProximalL1.of(PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0.1, -0.1, 0, 10));
        assertThatThrownBy(() -> r.apply(Nd4j.ones(4), Nd4j.zeros(4), 0.1, 10, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ProximalL1: the lambda schedule PiecewiseLinearSchedule{ITERATION, steps=[0, 10],"
                        + " values=[0.1, -0.1]} gave -0.1 at iteration 10, epoch 2; a regularization coefficient must be"
                        + " >= 0 and finite");
    }

    @Test
    void badGroupLayoutsNameTheField() {
        assertThatThrownBy(() -> GroupLasso.outputNeurons(1e-3, 0, 4))
                .hasMessage("shape must have only positive dimensions, found [0, 4]");
        assertThatThrownBy(() -> ProximalGroupLasso.of(1e-3, ParamGroups.of(new long[] {3, 4}, 'C', 0)))
                .hasMessage("order must be 'c' (row-major) or 'f' (column-major), found 'C'");
        assertThatThrownBy(() -> GroupLasso.of(1e-3, ParamGroups.of(new long[] {3, 4}, 'c', -1)))
                .hasMessage("groupAxis must be in [0, 2) for shape [3, 4], found -1");
        assertThatThrownBy(() -> GroupLasso.of(1e-3, null)).hasMessage("groups must not be null");
    }

    @Test
    void invalidJsonFailsWithTheFieldMessageAsRootCause() {
        String json = RegularizerSerializationTest.conf().toJson().replace("\"order\" : \"f\"", "\"order\" : \"x\"");
        assertThatThrownBy(() -> MultiLayerConfiguration.fromJson(json))
                .rootCause().hasMessage("order must be 'c' (row-major) or 'f' (column-major), found 'x'");
    }

    @Test
    void aGroupRegularizerOnTheWrongParamSaysWhereItBelongs() {
        // In the global list, layer 1's W [16, 12] reaches a regularizer made for layer 0's [10, 16].
        GroupLasso wrong = GroupLasso.outputNeurons(1e-3, RegNets.DENSE_IN, 16);
        MultiLayerNetwork net = RegNets.dense(DataType.FLOAT, new Sgd(0.1), 1, i -> List.of(wrong), RegNets::none);
        assertThatThrownBy(() -> net.fit(RegNets.data(DataType.FLOAT, 2, 4, RegNets.DENSE_IN)))
                .hasStackTraceContaining("GroupLasso was made for a weight param of shape [10, 16] (160 elements) but"
                        + " received one of shape [16, 12] (192 elements)")
                .hasStackTraceContaining("not with NeuralNetConfiguration.Builder.regularization(...) nor any"
                        + " .regularizationBias(...)");
        ProximalGroupLasso onBias = ProximalGroupLasso.outputNeurons(1e-3, RegNets.DENSE_IN, 16);
        MultiLayerNetwork net2 = RegNets.dense(DataType.FLOAT, new Sgd(0.1), 1, RegNets::none,
                i -> i == 0 ? List.of(onBias) : List.of());
        assertThatThrownBy(() -> net2.fit(RegNets.data(DataType.FLOAT, 2, 4, RegNets.DENSE_IN)))
                .hasStackTraceContaining("ProximalGroupLasso was made for a weight param of shape [10, 16] (160 elements)"
                        + " but received one of shape [16] (16 elements)");
    }

    @Test
    void layerGroupsNeedKnownSizesAndASupportedLayer() {
        assertThat(LayerGroups.outputUnits(new DenseLayer.Builder().nIn(5).nOut(7).build()))
                .isEqualTo(ParamGroups.outputNeurons(5, 7));
        assertThatThrownBy(() -> GroupLasso.forLayer(1e-3, new DenseLayer.Builder().name("hidden").nOut(7).build()))
                .hasMessageStartingWith("layer 'hidden' (DenseLayer) has nIn=0, nOut=7; both must be > 0. Set them in the"
                        + " layer builder, or build the configuration first");
        assertThatThrownBy(() -> ProximalGroupLasso.forLayer(1e-3, new LSTM.Builder().nIn(3).nOut(4).build()))
                .hasMessage("layer (LSTM) has no known group layout; supported layer types: [DenseLayer, OutputLayer,"
                        + " ConvolutionLayer, Convolution2D]. For other layers give the layout yourself with"
                        + " ParamGroups.of(shape, order, groupAxis).");
    }

    @Test
    void badSchedulesNameTheField() {
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {0, 5}, new double[] {1}))
                .hasMessage("steps and values must have the same length, found 2 steps and 1 values");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {5, 4}, new double[] {1, 2}))
                .hasMessage("steps must not decrease, found steps[1] = 4 after 5");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {-1}, new double[] {1}))
                .hasMessage("steps must be >= 0, found steps[0] = -1");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(ScheduleType.EPOCH, new int[] {1}, new double[] {Double.NaN}))
                .hasMessage("values must be finite, found values[0] = NaN");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(ScheduleType.EPOCH, new int[] {}, new double[] {}))
                .hasMessage("steps must hold at least one step, found []");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(null, new int[] {1}, new double[] {1}))
                .hasMessage("scheduleType must not be null");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.of(ScheduleType.EPOCH, new int[] {1, 1, 1}, new double[] {1, 2, 3}))
                .hasMessage("a step may appear at most twice (a jump), found 1 three times");
        assertThatThrownBy(() -> PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, 1, 5, 4, 6, 7))
                .hasMessage("rampBegin <= rampEnd <= decayBegin <= decayEnd must hold, found 5, 4, 6, 7");
    }
}
