package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskWorkspaceTest {

    @Test
    void theSameSlotAndLengthGiveTheSameArray_otherSlotsOrLengthsAnother() {
        MaskWorkspace w = MaskWorkspace.create();
        int[] a = w.ints(0, 100);
        assertThat(a).hasSize(100);
        assertThat(w.ints(0, 100)).isSameAs(a);
        assertThat(w.ints(1, 100)).isNotSameAs(a).hasSize(100);
        assertThat(w.ints(0, 50)).hasSize(50);
        assertThat(w.ints(0, 100)).isSameAs(a);
        byte[] b = w.bytes(0, 100);
        assertThat(w.bytes(0, 100)).isSameAs(b);
        assertThat(w.bytes(2, 100)).isNotSameAs(b);
    }

    @Test
    void theHistogramIsZeroedOnEveryRequest() {
        MaskWorkspace w = MaskWorkspace.create();
        int[] h = w.zeroedHistogram();
        assertThat(h).hasSize(MaskWorkspace.HISTOGRAM_SIZE);
        h[7] = 3;
        h[65_535] = 1;
        int[] again = w.zeroedHistogram();
        assertThat(again).isSameAs(h);
        assertThat(again[7]).isZero();
        assertThat(again[65_535]).isZero();
    }

    @Test
    void negativeSlotsAndLengthsAreRejectedByName() {
        MaskWorkspace w = MaskWorkspace.create();
        assertThatThrownBy(() -> w.ints(-1, 3)).hasMessageContaining("slot").hasMessageContaining("-1");
        assertThatThrownBy(() -> w.bytes(0, -2)).hasMessageContaining("length").hasMessageContaining("-2");
    }
}
