package org.topiary.sparsity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreOrderTest {

    @Test
    void selectSmallestPutsExactlyTheKSmallestFirstForManyRandomInputs() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(2000);
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                // few distinct scores, so ties are resolved by the position bits
                keys[i] = ((long) rng.nextInt(5) << 32) | i;
            }
            int k = rng.nextInt(n + 1);
            long[] sorted = keys.clone();
            Arrays.sort(sorted);
            ScoreOrder.selectSmallest(keys, k);
            long[] head = Arrays.copyOf(keys, k);
            Arrays.sort(head);
            assertThat(head).containsExactly(Arrays.copyOf(sorted, k));
        }
    }

    @Test
    void sortableBitsPreservesFloatOrder() {
        float[] v = {-Float.MAX_VALUE, -3f, -1e-30f, 0f, 1e-30f, 2f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 1; i < v.length; i++) {
            assertThat(ScoreOrder.sortableBits(v[i])).isGreaterThan(ScoreOrder.sortableBits(v[i - 1]));
        }
        assertThat(ScoreOrder.sortableBits(-0f)).isEqualTo(ScoreOrder.sortableBits(0f));
    }
}
