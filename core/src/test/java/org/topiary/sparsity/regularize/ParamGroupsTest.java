package org.topiary.sparsity.regularize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParamGroupsTest {

    /** W[i][j] = 10*i + j, a dense [3, 4] matrix. */
    private static INDArray dense() {
        INDArray w = Nd4j.create(DataType.DOUBLE, new long[] {3, 4}, 'f');
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                w.putScalar(i, j, 10 * i + j);
            }
        }
        return w;
    }

    @Test
    void flatSliceInFOrderReadsBackAsTheShapedDenseMatrix() {
        INDArray w = dense();
        INDArray flat = w.dup('f').reshape('f', new long[] {12});
        assertThat(flat.getDouble(1)).isEqualTo(10.0); // column-major: W[1][0] comes second
        ParamGroups g = ParamGroups.outputNeurons(3, 4);
        assertThat(g.shaped(flat)).isEqualTo(w);
        assertThat(g.flatten(w)).isEqualTo(flat);
    }

    @Test
    void outputNeuronGroupsAreColumnsWithTheirL2Norms() {
        ParamGroups g = ParamGroups.outputNeurons(3, 4);
        assertThat(g.groupCount()).isEqualTo(4);
        assertThat(g.groupSize()).isEqualTo(3);
        INDArray norms = g.norms(dense());
        for (int j = 0; j < 4; j++) {
            double expected = Math.sqrt(j * j + (10 + j) * (10 + j) + (20 + j) * (20 + j));
            assertThat(norms.getDouble(j)).isCloseTo(expected, within(1e-12));
        }
        assertThat(ParamGroups.inputs(3, 4).norms(dense()).getDouble(2))
                .isCloseTo(Math.sqrt(400 + 441 + 484 + 529), within(1e-12));
    }

    @Test
    void filterGroupsOfAConvolutionAreContiguousInCOrder() {
        ParamGroups g = ParamGroups.filters(2, 3, 2, 2);
        INDArray flat = Nd4j.arange(24).castTo(DataType.DOUBLE);
        INDArray norms = g.norms(flat);
        double first = 0;
        double second = 0;
        for (int i = 0; i < 12; i++) {
            first += i * i;
            second += (i + 12) * (i + 12);
        }
        assertThat(norms.getDouble(0)).isCloseTo(Math.sqrt(first), within(1e-9));
        assertThat(norms.getDouble(1)).isCloseTo(Math.sqrt(second), within(1e-9));
        assertThat(g.shaped(flat).getDouble(1, 2, 1, 0)).isEqualTo(12 + 2 * 4 + 2);
    }

    @Test
    void scaleGroupsMultipliesEachGroupByItsFactor() {
        ParamGroups g = ParamGroups.outputNeurons(3, 4);
        INDArray scaled = g.scaleGroups(dense(), Nd4j.createFromArray(1.0, 0.0, 2.0, -1.0));
        for (int i = 0; i < 3; i++) {
            assertThat(scaled.getDouble(i, 0)).isEqualTo(10.0 * i);
            assertThat(scaled.getDouble(i, 1)).isEqualTo(0.0);
            assertThat(scaled.getDouble(i, 2)).isEqualTo(2.0 * (10 * i + 2));
            assertThat(scaled.getDouble(i, 3)).isEqualTo(-(10.0 * i + 3));
        }
        assertThat(g.zeroGroupCount(scaled)).isEqualTo(1);
    }

    @Test
    void zeroGroupCountSeesTinyButNonZeroGroups() {
        ParamGroups g = ParamGroups.outputNeurons(2, 2);
        INDArray w = Nd4j.createFromArray(new float[][] {{1e-30f, 0f}, {0f, 0f}});
        assertThat(g.zeroGroupCount(w)).isEqualTo(1);
    }

    @Test
    void rejectsArraysOfAnotherSizeAndBadLayouts() {
        ParamGroups g = ParamGroups.outputNeurons(3, 4);
        assertThatThrownBy(() -> g.norms(Nd4j.zeros(DataType.DOUBLE, 4)))
                .hasMessageContaining("param of shape [4] does not match the groups' tensor: shape [3, 4]");
        assertThatThrownBy(() -> ParamGroups.of(new long[] {3, 0}, 'f', 1))
                .hasMessage("shape must have only positive dimensions, found [3, 0]");
        assertThatThrownBy(() -> ParamGroups.of(new long[] {3, 4}, 'x', 1))
                .hasMessage("order must be 'c' (row-major) or 'f' (column-major), found 'x'");
        assertThatThrownBy(() -> ParamGroups.of(new long[] {3, 4}, 'c', 2))
                .hasMessage("groupAxis must be in [0, 2) for shape [3, 4], found 2");
    }

    @Test
    void equalLayoutsAreEqual() {
        assertThat(ParamGroups.outputNeurons(3, 4)).isEqualTo(ParamGroups.of(new long[] {3, 4}, 'f', 1))
                .hasSameHashCodeAs(ParamGroups.of(new long[] {3, 4}, 'f', 1))
                .isNotEqualTo(ParamGroups.inputs(3, 4));
    }
}
