package org.topiary.sparsity.regularize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Expected values are computed by hand from the formulas in the Javadoc. */
class PenaltiesTest {

    @Test
    void softThresholdZeroesSmallEntriesExactlyAndShrinksTheRest() {
        INDArray v = Nd4j.createFromArray(0.3, -0.05, 0.1, -0.4, 0.0);
        INDArray p = L1Penalty.prox(v, 0.1);
        assertThat(p.getDouble(0)).isCloseTo(0.2, within(1e-15));
        assertThat(p.getDouble(1)).isEqualTo(0.0);
        assertThat(p.getDouble(2)).isEqualTo(0.0); // |v| == t: zero
        assertThat(p.getDouble(3)).isCloseTo(-0.3, within(1e-15));
        assertThat(p.getDouble(4)).isEqualTo(0.0);
        assertThat(v.getDouble(0)).isEqualTo(0.3); // input untouched
    }

    @Test
    void perElementSoftThresholdUsesEachElementsOwnThreshold() {
        INDArray v = Nd4j.createFromArray(0.3, -0.05, 0.1, -0.4, 0.2);
        INDArray t = Nd4j.createFromArray(0.1, 0.01, 0.2, 0.4, 0.0);
        INDArray p = L1Penalty.prox(v, t);
        assertThat(p.getDouble(0)).isCloseTo(0.2, within(1e-15));
        assertThat(p.getDouble(1)).isCloseTo(-0.04, within(1e-15));
        assertThat(p.getDouble(2)).isEqualTo(0.0); // |v| < t
        assertThat(p.getDouble(3)).isEqualTo(0.0); // |v| == t, and +0.0 rather than -0.0
        assertThat(1.0 / p.getDouble(3)).isPositive();
        assertThat(p.getDouble(4)).isCloseTo(0.2, within(1e-15)); // t = 0: identity
    }

    @Test
    void perElementSoftThresholdReadsAVectorInTheMatrixMemoryOrder() {
        INDArray v = Nd4j.create(new double[][] {{1, 2}, {3, 4}}).dup('f'); // f order: 1, 3, 2, 4
        INDArray t = Nd4j.createFromArray(0.5, 3.0, 1.0, 5.0);
        INDArray p = L1Penalty.prox(v, t);
        assertThat(p.getDouble(0, 0)).isCloseTo(0.5, within(1e-15));
        assertThat(p.getDouble(1, 0)).isEqualTo(0.0);
        assertThat(p.getDouble(0, 1)).isCloseTo(1.0, within(1e-15));
        assertThat(p.getDouble(1, 1)).isEqualTo(0.0);
        assertThatThrownBy(() -> L1Penalty.prox(v, Nd4j.ones(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t must have one threshold per element of v (4), found 3");
    }

    @Test
    void preconditionedBlockSoftThresholdZeroesGroupsByTheirStepScaledNorm() {
        ParamGroups g = ParamGroups.outputNeurons(2, 3);
        // columns (groups): (0.3, 0.4), (0.3, 0.4), (0.6, 0.8); sqrt(p) = sqrt(2)
        INDArray v = Nd4j.create(new double[][] {{0.3, 0.3, 0.6}, {0.4, 0.4, 0.8}});
        INDArray s = Nd4j.create(new double[][] {{0.1, 0.2, 0.1}, {0.1, 0.2, 0.1}});
        double lambda = 3.0 / Math.sqrt(2); // tau = 3
        INDArray x = GroupLassoPenalty.prox(v, g, s, lambda);
        // group 0: ‖v/s‖ = ‖(3, 4)‖ = 5 > 3: scaled by 1 − 3/5 = 0.4
        assertThat(x.getDouble(0, 0)).isCloseTo(0.12, within(1e-12));
        assertThat(x.getDouble(1, 0)).isCloseTo(0.16, within(1e-12));
        // group 1: ‖(1.5, 2)‖ = 2.5 <= 3: exactly zero
        assertThat(x.getDouble(0, 1)).isEqualTo(0.0);
        assertThat(x.getDouble(1, 1)).isEqualTo(0.0);
        // group 2: ‖(6, 8)‖ = 10: scaled by 0.7
        assertThat(x.getDouble(0, 2)).isCloseTo(0.42, within(1e-12));
        // equal steps: the plain block soft-threshold with t = s·λ
        INDArray same = GroupLassoPenalty.prox(v, g, Nd4j.zeros(DataType.DOUBLE, 2, 3).addi(0.1), 0.5);
        assertThat(same.ravel().toDoubleVector())
                .containsExactly(GroupLassoPenalty.prox(v, g, 0.05).ravel().toDoubleVector(), within(1e-12));
    }

    @Test
    void l1ValueAndSubgradient() {
        INDArray w = Nd4j.createFromArray(0.5f, -2f, 0f);
        assertThat(L1Penalty.value(w)).isCloseTo(2.5, within(1e-6));
        assertThat(L1Penalty.subgradient(w).toFloatVector()).containsExactly(1f, -1f, 0f);
    }

    @Test
    void groupLassoValueUsesSqrtOfGroupSize() {
        ParamGroups g = ParamGroups.outputNeurons(4, 2);
        INDArray w = Nd4j.create(new double[][] {{3, 0}, {4, 0}, {0, 0}, {0, 1}});
        // groups (columns): ‖(3,4,0,0)‖ = 5, ‖(0,0,0,1)‖ = 1; sqrt(p) = 2
        assertThat(GroupLassoPenalty.value(w, g)).isCloseTo(12.0, within(1e-12));
    }

    @Test
    void groupLassoSubgradientIsTheUnitDirectionAndZeroForZeroGroups() {
        ParamGroups g = ParamGroups.outputNeurons(2, 2);
        INDArray w = Nd4j.create(new double[][] {{3, 0}, {4, 0}});
        INDArray s = GroupLassoPenalty.subgradient(w, g);
        double r = Math.sqrt(2);
        assertThat(s.getDouble(0, 0)).isCloseTo(r * 0.6, within(1e-12));
        assertThat(s.getDouble(1, 0)).isCloseTo(r * 0.8, within(1e-12));
        assertThat(s.getDouble(0, 1)).isEqualTo(0.0);
        assertThat(s.getDouble(1, 1)).isEqualTo(0.0);
    }

    @Test
    void blockSoftThresholdZeroesWholeSmallGroupsAndScalesTheOthers() {
        ParamGroups g = ParamGroups.outputNeurons(4, 3);
        INDArray v = Nd4j.create(DataType.DOUBLE, new long[] {4, 3}, 'f');
        v.putColumn(0, Nd4j.createFromArray(3.0, 4.0, 0.0, 0.0)); // norm 5
        v.putColumn(1, Nd4j.createFromArray(0.3, -0.4, 0.0, 0.0)); // norm 0.5
        v.putColumn(2, Nd4j.createFromArray(0.0, 0.0, 0.6, 0.8)); // norm 1 == tau
        INDArray p = GroupLassoPenalty.prox(v, g, 0.5); // tau = 0.5 * sqrt(4) = 1
        assertThat(p.getColumn(0).toDoubleVector()).containsExactly(new double[] {2.4, 3.2, 0, 0}, within(1e-12));
        assertThat(p.getColumn(1).toDoubleVector()).containsExactly(0, 0, 0, 0);
        assertThat(p.getColumn(2).toDoubleVector()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void weightedBlockSoftThresholdScalesEachGroupsThresholdByItsWeight() {
        ParamGroups g = ParamGroups.outputNeurons(4, 3);
        INDArray v = Nd4j.create(DataType.DOUBLE, new long[] {4, 3}, 'f');
        v.putColumn(0, Nd4j.createFromArray(3.0, 4.0, 0.0, 0.0)); // norm 5
        v.putColumn(1, Nd4j.createFromArray(0.3, -0.4, 0.0, 0.0)); // norm 0.5
        v.putColumn(2, Nd4j.createFromArray(0.0, 0.0, 0.6, 0.8)); // norm 1
        // tau = 0.5 * sqrt(4) = 1; thresholds 1 * (2, 0.25, +inf) = 2, 0.25, inf
        INDArray p = GroupLassoPenalty.prox(v, g, 0.5, new double[] {2.0, 0.25, Double.POSITIVE_INFINITY});
        assertThat(p.getColumn(0).toDoubleVector()).containsExactly(new double[] {1.8, 2.4, 0, 0}, within(1e-12));
        assertThat(p.getColumn(1).toDoubleVector()).containsExactly(new double[] {0.15, -0.2, 0, 0}, within(1e-12));
        assertThat(p.getColumn(2).toDoubleVector()).containsExactly(0, 0, 0, 0);
        INDArray ones = GroupLassoPenalty.prox(v, g, 0.5, new double[] {1, 1, 1});
        assertThat(ones).isEqualTo(GroupLassoPenalty.prox(v, g, 0.5));
        assertThatThrownBy(() -> GroupLassoPenalty.prox(v, g, 0.5, new double[] {1, 1}))
                .hasMessage("groupWeights must have one value per group (3), found 2");
        assertThatThrownBy(() -> GroupLassoPenalty.prox(v, g, 0.5, new double[] {1, -1, 1}))
                .hasMessage("groupWeights[1] must be >= 0, found -1.0");
    }

    @Test
    void negativeThresholdsAreRejected() {
        assertThatThrownBy(() -> L1Penalty.prox(Nd4j.ones(2), -1))
                .hasMessage("t must be >= 0 and finite, found -1");
        assertThatThrownBy(() -> GroupLassoPenalty.prox(Nd4j.ones(2, 2), ParamGroups.outputNeurons(2, 2), Double.NaN))
                .hasMessage("t must be >= 0 and finite, found NaN");
    }
}
