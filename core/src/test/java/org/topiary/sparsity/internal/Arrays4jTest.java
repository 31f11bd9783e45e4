package org.topiary.sparsity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class Arrays4jTest {

    @Test
    void toFloatCReadsViewsFOrderAndOtherTypesInCOrder() {
        INDArray c = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(Arrays4j.toFloatC(c)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Arrays4j.toFloatC(c.dup('f'))).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Arrays4j.toFloatC(c.transpose())).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(Arrays4j.toFloatC(c.get(NDArrayIndex.point(1), NDArrayIndex.interval(1, 3)))).containsExactly(5, 6);
        assertThat(Arrays4j.toFloatC(c.castTo(DataType.DOUBLE))).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void keptBytesCReadsBoolMasksInCOrderAndNullAsAllKept() {
        INDArray mask = Nd4j.createFromArray(new boolean[][] {{true, false, true}, {false, false, true}});
        assertThat(Arrays4j.keptBytesC(mask, 6)).containsExactly(1, 0, 1, 0, 0, 1);
        assertThat(Arrays4j.keptBytesC(mask.dup('f'), 6)).containsExactly(1, 0, 1, 0, 0, 1);
        assertThat(Arrays4j.keptBytesC(mask.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)), 4))
                .containsExactly(0, 1, 0, 1);
        assertThat(Arrays4j.keptBytesC(null, 3)).containsExactly(1, 1, 1);
        assertThat(Arrays4j.toBooleanC(mask, 6)).containsExactly(true, false, true, false, false, true);
        assertThatThrownBy(() -> Arrays4j.keptBytesC(mask, 5)).hasMessageContaining("mask has 6 entries, expected 5");
    }

    @Test
    void boolMaskRoundTripsAndNormalisesNonZeroBytesToTrue() {
        INDArray m = Arrays4j.boolMask(new byte[] {1, 0, 0, 1, 1, 0}, new long[] {2, 3});
        assertThat(m.dataType()).isEqualTo(DataType.BOOL);
        assertThat(m.shape()).containsExactly(2, 3);
        assertThat(m).isEqualTo(Nd4j.createFromArray(new boolean[][] {{true, false, false}, {true, true, false}}));
        INDArray stray = Arrays4j.boolMask(new byte[] {7, 0, -1}, new long[] {3});
        assertThat(Arrays4j.keptBytesC(stray, 3)).containsExactly(1, 0, 1);
        assertThat(Arrays4j.boolMask(new boolean[] {false, true}, new long[] {2}))
                .isEqualTo(Nd4j.createFromArray(false, true));
        assertThatThrownBy(() -> Arrays4j.boolMask(new byte[] {1, 0}, new long[] {3}))
                .hasMessageContaining("has 3 entries, found 2 values");
    }

    @Test
    void countNonZeroCountsTrueEntriesAndNonZeroNumbers() {
        assertThat(Arrays4j.countNonZero(Nd4j.createFromArray(true, false, true, true))).isEqualTo(3);
        assertThat(Arrays4j.countNonZero(Nd4j.createFromArray(0f, -0f, 2f, 1e-30f))).isEqualTo(2);
        assertThat(Arrays4j.countZeros(new byte[] {0, 1, 0, 1, 1})).isEqualTo(2);
    }
}
