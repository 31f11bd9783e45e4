package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
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
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ScheduleType;

/** The network's score includes each regularizer's penalty, computed here by hand from layer 0's W. */
class RegularizerScoreTest {

    static Stream<Arguments> penalties() {
        Function<INDArray, Double> l1 = w -> w.norm1Number().doubleValue();
        Function<INDArray, Double> group = w -> {
            double sum = 0;
            for (int j = 0; j < w.columns(); j++) {
                sum += w.getColumn(j).norm2Number().doubleValue();
            }
            return Math.sqrt(w.rows()) * sum;
        };
        return Stream.of(
                Arguments.of(ScheduledL1.of(0.3), l1, 0.3),
                Arguments.of(ProximalL1.of(0.2), l1, 0.2),
                Arguments.of(GroupLasso.outputNeurons(0.1, RegNets.DENSE_IN, 16), group, 0.1),
                Arguments.of(ProximalGroupLasso.outputNeurons(0.05, RegNets.DENSE_IN, 16), group, 0.05));
    }

    @ParameterizedTest
    @MethodSource("penalties")
    void scoreIncludesThePenalty(Regularization r, Function<INDArray, Double> penalty, double lambda) {
        MultiLayerNetwork plain = RegNets.dense(DataType.DOUBLE, new Sgd(0.1), 41, RegNets::none, RegNets::none);
        MultiLayerNetwork reg = RegNets.dense(DataType.DOUBLE, new Sgd(0.1), 41, i -> i == 0 ? List.of(r) : List.of(),
                RegNets::none);
        DataSet ds = RegNets.data(DataType.DOUBLE, 42, 8, RegNets.DENSE_IN);
        double expected = lambda * penalty.apply(reg.getParam("0_W"));
        assertThat(reg.score(ds) - plain.score(ds)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void scheduledCoefficientsFollowTheIteration() {
        PiecewiseLinearSchedule ramp = PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0.0, 1.0, 0, 10);
        ScheduledL1 r = ScheduledL1.of(ramp);
        INDArray w = Nd4j.createFromArray(0.5, -2.0, 0.0);
        INDArray g = Nd4j.zeros(DataType.DOUBLE, 3);
        r.apply(w, g, 0.1, 4, 0);
        assertThat(g.toDoubleVector()).containsExactly(new double[] {0.4, -0.4, 0.0}, within(1e-15));
        assertThat(r.score(w, 4, 0)).isCloseTo(0.4 * 2.5, within(1e-15));
        assertThat(r.score(w, 0, 0)).isEqualTo(0.0);
        r.apply(w, g, 0.1, 0, 0); // λ = 0: the gradient is left alone
        assertThat(g.toDoubleVector()).containsExactly(new double[] {0.4, -0.4, 0.0}, within(1e-15));
    }

    @Test
    void proximalThresholdIsLearningRateTimesLambdaAndZeroLeavesTheUpdateAlone() {
        ProximalL1 r = ProximalL1.of(PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0.0, 2.0, 0, 10));
        assertThat(r.threshold(0.01, 5, 0)).isCloseTo(0.01, within(1e-15));
        INDArray w = Nd4j.createFromArray(0.3, -0.005, 0.02);
        INDArray u = Nd4j.createFromArray(0.1, 0.0, 0.0);
        r.apply(w, u, 0.01, 0, 0);
        assertThat(u.toDoubleVector()).containsExactly(0.1, 0.0, 0.0);
        r.apply(w, u, 0.01, 5, 0); // t = 0.01: v = (0.2, -0.005, 0.02) -> (0.19, 0, 0.01)
        INDArray next = w.sub(u);
        assertThat(next.getDouble(1)).isEqualTo(0.0);
        assertThat(next.toDoubleVector()).containsExactly(new double[] {0.19, 0.0, 0.01}, within(1e-15));
    }
}
