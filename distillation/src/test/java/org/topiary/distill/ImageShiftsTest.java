package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageShiftsTest {
    /** One 3x3 image with pixels 1..9, row-major, flat. */
    private static INDArray nine() {
        return Nd4j.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new long[] {1, 9}, 'c');
    }

    private static int indexOf(ImageShifts s, int dy, int dx) {
        for (int k = 0; k < s.size(); k++) {
            if (s.dy(k) == dy && s.dx(k) == dx) {
                return k;
            }
        }
        throw new AssertionError("no shift (" + dy + ", " + dx + ") in " + s);
    }

    @Test
    void squareListsTheIdentityFirstThenEveryOffsetRowByRow() {
        ImageShifts s = ImageShifts.square(1, 3, 3, 1);
        assertThat(s.size()).isEqualTo(9);
        int[][] expected = {{0, 0}, {-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}};
        for (int k = 0; k < 9; k++) {
            assertThat(new int[] {s.dy(k), s.dx(k)}).as("shift %d", k).containsExactly(expected[k]);
        }
        assertThat(ImageShifts.square(1, 28, 28, 2).size()).isEqualTo(25);
        assertThat(ImageShifts.square(1, 28, 28, 0).size()).isEqualTo(1);
    }

    @Test
    void crossListsTheIdentityThenTheAxisMovesOfEachDistance() {
        ImageShifts c = ImageShifts.cross(1, 28, 28, 2);
        assertThat(c.size()).isEqualTo(9);
        int[][] expected = {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-2, 0}, {2, 0}, {0, -2}, {0, 2}};
        for (int k = 0; k < 9; k++) {
            assertThat(new int[] {c.dy(k), c.dx(k)}).as("shift %d", k).containsExactly(expected[k]);
        }
        assertThat(ImageShifts.cross(1, 28, 28, 1).size()).isEqualTo(5);
        assertThatThrownBy(() -> ImageShifts.cross(1, 3, 3, 3)).hasMessageContaining("|dy| < height");
    }

    @Test
    void shiftMovesTheContentDownAndRightAndFillsTheEnteringPixelsWithZero() {
        ImageShifts s = ImageShifts.square(1, 3, 3, 1);
        // (1, 1): out[y, x] = in[y - 1, x - 1]
        assertThat(s.apply(nine(), indexOf(s, 1, 1)).toFloatVector()).containsExactly(0, 0, 0, 0, 1, 2, 0, 4, 5);
        // (-1, 0): content moves up one row, the bottom row enters as zeros
        assertThat(s.apply(nine(), indexOf(s, -1, 0)).toFloatVector()).containsExactly(4, 5, 6, 7, 8, 9, 0, 0, 0);
        // (0, -1): content moves left
        assertThat(s.apply(nine(), indexOf(s, 0, -1)).toFloatVector()).containsExactly(2, 3, 0, 5, 6, 0, 8, 9, 0);
        assertThat(s.apply(nine(), 0).toFloatVector()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void eachRowGetsItsOwnShiftAndTheInputIsNotChanged() {
        ImageShifts s = ImageShifts.of(1, 3, 3, new int[] {0, 1}, new int[] {2, 0});
        INDArray two = Nd4j.vstack(nine(), nine().mul(10));
        INDArray out = s.apply(two, new int[] {1, 2});
        assertThat(out.getRow(0).toFloatVector()).containsExactly(0, 1, 2, 0, 4, 5, 0, 7, 8);
        assertThat(out.getRow(1).toFloatVector()).containsExactly(0, 0, 0, 0, 0, 0, 10, 20, 30);
        assertThat(two.getRow(0).toFloatVector()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void channelsMoveTogetherInFlatAndNchwLayoutsAndTheDataTypeIsKept() {
        ImageShifts s = ImageShifts.of(2, 2, 2, new int[] {0, 1});
        // channel 0 = [[1, 2], [3, 4]], channel 1 = [[5, 6], [7, 8]]
        INDArray flat = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {1, 8}, 'c');
        INDArray moved = s.apply(flat, 1);
        assertThat(moved.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(moved.toDoubleVector()).containsExactly(0, 1, 0, 3, 0, 5, 0, 7);
        INDArray nchw = s.apply(flat.reshape('c', 1, 2, 2, 2), 1);
        assertThat(nchw.shape()).containsExactly(1, 2, 2, 2);
        assertThat(nchw.reshape('c', 1, 8).toDoubleVector()).containsExactly(0, 1, 0, 3, 0, 5, 0, 7);
    }

    @Test
    void invalidSettingsAndInputsFailNamingTheFieldAndTheExpectation() {
        assertThatThrownBy(() -> ImageShifts.square(1, 28, 28, -1)).hasMessageContaining("radius");
        assertThatThrownBy(() -> ImageShifts.square(0, 28, 28, 1)).hasMessageContaining("channels");
        assertThatThrownBy(() -> ImageShifts.of(1, 3, 3, new int[] {3, 0}))
                .hasMessageContaining("offsets[0] = [3, 0]").hasMessageContaining("|dy| < height");
        assertThatThrownBy(() -> ImageShifts.of(1, 3, 3, new int[] {1, 0}, new int[] {1, 0}))
                .hasMessageContaining("offsets[1] = [1, 0] appears twice");
        assertThatThrownBy(() -> ImageShifts.of(1, 3, 3, new int[] {1})).hasMessageContaining("offsets[0] must be a pair");
        ImageShifts s = ImageShifts.square(1, 3, 3, 1);
        assertThatThrownBy(() -> s.apply(Nd4j.zeros(DataType.FLOAT, 2, 10), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected [batch, 9]");
        assertThatThrownBy(() -> s.apply(nine(), new int[] {9}))
                .hasMessageContaining("shiftOfRow[0] = 9 is not a shift index in 0..8");
        assertThatThrownBy(() -> s.apply(nine(), new int[] {0, 1})).hasMessageContaining("2 entries for a batch of 1");
    }

    @Test
    void equalSetsAreEqualAndTheIdentityIsAlwaysShiftZero() {
        ImageShifts a = ImageShifts.of(1, 3, 3, new int[] {0, 0}, new int[] {1, 1});
        ImageShifts b = ImageShifts.of(1, 3, 3, new int[] {1, 1});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.size()).isEqualTo(2);
        assertThat(a).isNotEqualTo(ImageShifts.of(1, 3, 4, new int[] {1, 1}));
        assertThat(a.toString()).contains("2 shifts [(0,0) (1,1)]");
    }
}
