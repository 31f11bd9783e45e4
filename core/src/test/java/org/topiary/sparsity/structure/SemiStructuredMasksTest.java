package org.topiary.sparsity.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.testkit.MaskAssertions;

class SemiStructuredMasksTest {

    private static StructuredPruner gradual(SparsityPattern pattern, double finalSparsity) {
        return StructuredPruner.of(
                PruningConfig.builder()
                        .setSchedule(SparsitySchedule.polynomial(0.0, finalSparsity, 0, 100, 1.0))
                        .optWindow(new UpdateWindow(0, 100, 10))
                        .optPattern(pattern)
                        .build());
    }

    private static int keptIn(INDArray mask, MatrixView v, long o, long first, int m) {
        int k = 0;
        for (int j = 0; j < m; j++) {
            if (mask.getDouble(flatToIndex(mask, v.index(o, first + j))) != 0) {
                k++;
            }
        }
        return k;
    }

    private static long[] flatToIndex(INDArray a, long flat) {
        long[] shape = a.shape();
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    @Test
    void twoOfFourKeepsExactlyTwoInEveryRunOfADenseWeight() {
        INDArray w = Nd4j.randn(DataType.FLOAT, 16, 6).dup('f');
        MatrixView v = MatrixView.inputsByOutputs("0_W", w.shape());
        SparsityPattern.NOfM p = new SparsityPattern.NOfM(2, 4);
        INDArray mask = gradual(p, 0.5).semiStructuredMask(PrunableTensor.of("0_W", w, null), v, 100);
        assertThat(NOfMMasks.isNOfM(v, p, mask)).isTrue();
        for (long o = 0; o < 6; o++) {
            for (long first = 0; first < 16; first += 4) {
                assertThat(keptIn(mask, v, o, first, 4)).isEqualTo(2);
            }
        }
        MaskAssertions.assertSparsity(0.5, w.mul(mask.castTo(DataType.FLOAT)), 0);
    }

    @Test
    void fourOfEightKeepsTheLargestFourAlongTheConvolutionInputDimension() {
        INDArray w = Nd4j.randn(DataType.FLOAT, 3, 2, 2, 2);
        MatrixView v = MatrixView.outputsByInputs("0_W", w.shape());
        assertThat(v.inputs()).isEqualTo(8);
        SparsityPattern.NOfM p = new SparsityPattern.NOfM(4, 8);
        INDArray mask = NOfMMasks.mask(v, p, Transforms.abs(w, true), null, NOfMMasks.runCount(v, p));
        assertThat(NOfMMasks.isNOfM(v, p, mask)).isTrue();
        float[] a = Transforms.abs(w, true).reshape(3, 8).toFloatMatrix()[0];
        float[] kept = mask.castTo(DataType.FLOAT).reshape(3, 8).toFloatMatrix()[0];
        float minKept = Float.MAX_VALUE;
        float maxPruned = -1;
        for (int i = 0; i < 8; i++) {
            if (kept[i] != 0) {
                minKept = Math.min(minKept, a[i]);
            } else {
                maxPruned = Math.max(maxPruned, a[i]);
            }
        }
        assertThat(minKept).isGreaterThanOrEqualTo(maxPruned);
    }

    @Test
    void gradualScheduleConvertsTheScheduledFractionOfRunsAndStaysMonotone() {
        INDArray w = Nd4j.randn(DataType.FLOAT, 8, 10).dup('f');
        MatrixView v = MatrixView.inputsByOutputs("0_W", w.shape());
        StructuredPruner p = gradual(SparsityPattern.nOfM(2, 4), 0.5);
        INDArray previous = null;
        for (long step = 0; step <= 100; step += 10) {
            INDArray mask = p.semiStructuredMask(PrunableTensor.of("0_W", w, previous), v, step);
            double s = p.targetSparsity(PrunableTensor.of("0_W", w, null), step);
            long runs = 20;
            long converted = Math.round(s / 0.5 * runs);
            assertThat(MaskAssertions.pruned(mask)).as("step %d", step).isEqualTo(2 * converted);
            if (previous != null) {
                MaskAssertions.assertMonotone(previous, mask);
            }
            previous = mask;
            w = w.add(Nd4j.randn(DataType.FLOAT, 8, 10).mul(0.5)).dup('f');
        }
        assertThat(NOfMMasks.isNOfM(v, new SparsityPattern.NOfM(2, 4), previous)).isTrue();
    }

    @Test
    void nOfMTiesGoToTheLowerInputIndexAndCheapestRunsConvertFirst() {
        INDArray w = Nd4j.create(new float[] {1, 1, 1, 1, 5, 6, 7, 8}, new long[] {1, 8}, 'c');
        MatrixView v = MatrixView.outputsByInputs("c", w.shape());
        INDArray mask = NOfMMasks.mask(v, new SparsityPattern.NOfM(2, 4), w, null, 1);
        assertThat(mask.castTo(DataType.FLOAT).toFloatVector()).containsExactly(0f, 0f, 1f, 1f, 1f, 1f, 1f, 1f);
    }

    @Test
    void inputDimensionNotAMultipleOfMNamesTheTensor() {
        INDArray w = Nd4j.randn(DataType.FLOAT, 10, 3);
        MatrixView v = MatrixView.inputsByOutputs("dense1_W", w.shape());
        assertThatThrownBy(() -> gradual(SparsityPattern.nOfM(2, 4), 0.5).semiStructuredMask(PrunableTensor.of("dense1_W", w, null), v, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dense1_W'")
                .hasMessageContaining("not a multiple of m = 4");
    }

    @Test
    void blocksRemoveTheExactCountOfLowestL1Blocks() {
        INDArray w = Nd4j.rand(DataType.FLOAT, 8, 12).addi(0.1).dup('f');
        MatrixView v = MatrixView.inputsByOutputs("0_W", w.shape());
        SparsityPattern.Blocks p = new SparsityPattern.Blocks(4, 4);
        // [12 outputs, 8 inputs] -> 3 x 2 = 6 blocks; half = 3 blocks = 48 weights
        INDArray mask = gradual(p, 0.5).semiStructuredMask(PrunableTensor.of("0_W", w, null), v, 100);
        assertThat(MaskAssertions.pruned(mask)).isEqualTo(48);
        for (int bo = 0; bo < 3; bo++) {
            for (int bi = 0; bi < 2; bi++) {
                long kept = 0;
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        kept += mask.getDouble(bi * 4 + c, bo * 4 + r) != 0 ? 1 : 0;
                    }
                }
                assertThat(kept).isIn(0L, 16L);
            }
        }
    }

    @Test
    void oneByFourBlocksPreferLowL1AndAreMonotone() {
        INDArray w = Nd4j.create(new float[] {9, 9, 9, 9, 1, 1, 1, 1, 2, 2, 2, 2}, new long[] {1, 12}, 'c');
        MatrixView v = MatrixView.outputsByInputs("c", w.shape());
        SparsityPattern.Blocks p = new SparsityPattern.Blocks(1, 4);
        INDArray first = BlockMasks.mask(v, p, w, null, 1);
        assertThat(first.castTo(DataType.FLOAT).toFloatVector()).containsExactly(1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f);
        INDArray raised = Nd4j.create(new float[] {9, 9, 9, 9, 50, 50, 50, 50, 2, 2, 2, 2}, new long[] {1, 12}, 'c');
        INDArray second = BlockMasks.mask(v, p, raised, first, 1);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void blocksThatDoNotTileNameTheTensor() {
        MatrixView v = MatrixView.outputsByInputs("conv_W", new long[] {6, 1, 3, 3});
        assertThatThrownBy(() -> BlockMasks.blockCount(v, new SparsityPattern.Blocks(4, 4)))
                .hasMessageContaining("'conv_W'")
                .hasMessageContaining("6 outputs x 9 inputs");
    }
}
