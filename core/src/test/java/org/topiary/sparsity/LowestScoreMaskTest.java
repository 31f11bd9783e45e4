package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.topiary.sparsity.testkit.MaskAssertions.assertMonotone;
import static org.topiary.sparsity.testkit.MaskAssertions.pruned;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.internal.Arrays4j;

class LowestScoreMaskTest {
    private final MaskStrategy strategy = MaskStrategy.lowestScores();

    @Test
    void prunesExactlyRoundedCountOfLowestScores() {
        INDArray scores = Nd4j.createFromArray(new float[] {5, 1, 4, 2, 3}).reshape(5);
        INDArray mask = strategy.computeMask(scores, null, 0.4);
        assertThat(Arrays4j.toBooleanC(mask, 5)).containsExactly(true, false, true, false, true);
        assertThat(mask.dataType()).isEqualTo(DataType.BOOL);
        // k = round(0.5 * 5) = round(2.5) = 3 (half rounds up)
        assertThat(pruned(strategy.computeMask(scores, null, 0.5))).isEqualTo(3);
    }

    @Test
    void tiesGoToTheLowerFlatIndexFirst() {
        INDArray scores = Nd4j.createFromArray(new float[][] {{1, 1, 1}, {1, 1, 1}});
        INDArray mask = strategy.computeMask(scores, null, 2L);
        assertThat(Arrays4j.toBooleanC(mask, 6)).containsExactly(false, false, true, true, true, true);
    }

    @Test
    void zeroSparsityIsAllOnes() {
        INDArray scores = Nd4j.rand(DataType.FLOAT, 7, 3);
        assertThat(pruned(strategy.computeMask(scores, null, 0.0))).isZero();
    }

    @Test
    void keepsAtLeastOneEntry() {
        assertThat(MaskStrategy.countFor(0.99, 10)).isEqualTo(9);
        assertThat(MaskStrategy.countFor(0.96, 10)).isEqualTo(9);
        assertThat(MaskStrategy.countFor(0.9, 1)).isZero();
    }

    @Test
    void previouslyPrunedEntriesStayPrunedEvenWhenTheirScoreIsHighest() {
        INDArray scores = Nd4j.createFromArray(new float[] {10, 1, 2, 3});
        INDArray previous = Arrays4j.boolMask(new boolean[] {false, true, true, true}, new long[] {4});
        INDArray mask = strategy.computeMask(scores, previous, 2L);
        assertThat(Arrays4j.toBooleanC(mask, 4)).containsExactly(false, false, true, true);
        assertMonotone(previous, mask);
    }

    @Test
    void monotoneCountNeverShrinks() {
        INDArray scores = Nd4j.rand(DataType.FLOAT, 100);
        INDArray m1 = strategy.computeMask(scores, null, 0.5);
        INDArray m2 = strategy.computeMask(scores, m1, 0.2);
        assertThat(pruned(m2)).isEqualTo(50);
    }

    @Test
    void regrowthVariantMayReviveEntries() {
        INDArray scores = Nd4j.createFromArray(new float[] {10, 1, 2, 3});
        INDArray previous = Arrays4j.boolMask(new boolean[] {false, true, true, true}, new long[] {4});
        INDArray mask = MaskStrategy.lowestScoresWithRegrowth().computeMask(scores, previous, 1L);
        assertThat(Arrays4j.toBooleanC(mask, 4)).containsExactly(true, false, true, true);
    }

    @Test
    void isPureAndRepeatable() {
        INDArray scores = Nd4j.rand(DataType.FLOAT, 30, 20);
        INDArray before = scores.dup();
        INDArray a = strategy.computeMask(scores, null, 0.7);
        INDArray b = strategy.computeMask(scores, null, 0.7);
        assertThat(a).isEqualTo(b);
        assertThat(scores).isEqualTo(before);
    }

    @Test
    void nanScoresAreAClearError() {
        INDArray scores = Nd4j.createFromArray(new float[] {1, Float.NaN});
        assertThatThrownBy(() -> strategy.computeMask(scores, null, 0.5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void negativeZeroTiesWithZero() {
        INDArray scores = Nd4j.createFromArray(new float[] {0f, -0f, 0f});
        INDArray mask = strategy.computeMask(scores, null, 1L);
        assertThat(Arrays4j.toBooleanC(mask, 3)).containsExactly(false, true, true);
    }
}
