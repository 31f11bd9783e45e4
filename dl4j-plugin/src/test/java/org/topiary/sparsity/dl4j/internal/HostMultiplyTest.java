package org.topiary.sparsity.dl4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostMultiplyTest {

    private static INDArray randomMask(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n).gt(0.5).castTo(DataType.UINT8);
    }

    /** Values with signs, zeros and non-finite entries, so that -0.0 and NaN products show. */
    private static INDArray values(DataType type, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(type, n);
        x.putScalar(0, -3.0);
        x.putScalar(1, Double.NaN);
        x.putScalar(2, Double.POSITIVE_INFINITY);
        x.putScalar(3, -0.0);
        return x;
    }

    private static void assertBitIdentical(INDArray actual, INDArray expected) {
        for (long i = 0; i < expected.length(); i++) {
            long a = Double.doubleToRawLongBits(actual.getDouble(i));
            long e = Double.doubleToRawLongBits(expected.getDouble(i));
            assertThat(a).as("element %d: %s vs %s", i, actual.getDouble(i), expected.getDouble(i)).isEqualTo(e);
        }
    }

    @Test
    void theHostLoopGivesTheProductsOfMuliBitForBit_floatAndDouble() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray mask = randomMask(1_001, 1);
            for (int i = 0; i < 4; i++) {
                mask.putScalar(i, i % 2); // 0 and 1 on the special values
            }
            INDArray x = values(type, 1_001, 2);
            INDArray expected = x.mul(mask.castTo(type));
            assertThat(HostMultiply.tryApply(x, mask)).as("%s applies", type).isTrue();
            assertBitIdentical(x, expected);
        }
    }

    @Test
    void aReshapedWholeArrayQualifies_aSliceOrAnotherTypeDoesNot() {
        INDArray mask = randomMask(50, 3);
        INDArray row = Nd4j.create(DataType.FLOAT, new long[] {1, 50}, 'f').assign(2f);
        INDArray flat = row.reshape(50);
        assertThat(HostMultiply.tryApply(flat, mask)).isTrue();
        assertThat(row.reshape(50)).isEqualTo(mask.castTo(DataType.FLOAT).mul(2f));

        INDArray big = Nd4j.ones(DataType.FLOAT, 60);
        INDArray slice = big.get(NDArrayIndex.interval(10, 60));
        assertThat(HostMultiply.tryApply(slice, mask)).isFalse();
        assertThat(big.sumNumber().doubleValue()).isEqualTo(60.0);
        assertThat(HostMultiply.tryApply(Nd4j.ones(DataType.HALF, 50), mask)).isFalse();
        assertThat(HostMultiply.tryApply(Nd4j.ones(DataType.FLOAT, 49), mask.get(NDArrayIndex.interval(0, 49)))).isFalse();
    }

    @Test
    void theFlatMultiplierMasksEveryLayoutItIsGiven() {
        FlatMultiplier m = FlatMultiplier.ones(60);
        INDArray mask = Nd4j.rand(DataType.FLOAT, 6, 5).gt(0.5);
        m.set(10, mask, 'f');
        INDArray expected = Nd4j.ones(DataType.FLOAT, 60);
        expected.get(NDArrayIndex.interval(10, 40)).assign(Nd4j.toFlattened('f', mask.castTo(DataType.FLOAT)));
        // host loop (a whole array), and the muli fallback (a slice of a bigger array)
        INDArray whole = Nd4j.ones(DataType.FLOAT, 60).muli(3);
        m.applyTo(whole);
        assertThat(whole).isEqualTo(expected.mul(3));
        INDArray parent = Nd4j.ones(DataType.FLOAT, 70).muli(3);
        INDArray view = parent.get(NDArrayIndex.interval(5, 65));
        m.applyTo(view);
        assertThat(view).isEqualTo(expected.mul(3));
        assertThat(parent.getDouble(0)).isEqualTo(3.0);
        assertThat(parent.getDouble(69)).isEqualTo(3.0);
    }
}
