package org.topiary.sparsity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScoreOrderTest {

    @Test
    void cutSelectsExactlyTheKSmallestInValueThenPositionOrderAcrossParts() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 400; trial++) {
            int numParts = 1 + rng.nextInt(3);
            int[][] parts = new int[numParts][];
            int total = 0;
            for (int p = 0; p < numParts; p++) {
                parts[p] = new int[rng.nextInt(700)];
                for (int i = 0; i < parts[p].length; i++) {
                    // few distinct values (ties resolved by position), spread over both 16-bit halves,
                    // negative ones and previously pruned entries included
                    int pick = rng.nextInt(6);
                    parts[p][i] = switch (pick) {
                        case 0 -> ScoreOrder.FORCED_FIRST;
                        case 1 -> -70_000;
                        case 2 -> 3;
                        case 3 -> 65_539;
                        default -> rng.nextInt(4) << 20;
                    };
                }
                total += parts[p].length;
            }
            long k = rng.nextInt(total + 2) - (trial % 7 == 0 ? 1 : 0);
            long[] reference = new long[total];
            int at = 0;
            for (int[] part : parts) {
                for (int v : part) {
                    reference[at] = ((long) v << 32) | at;
                    at++;
                }
            }
            Arrays.sort(reference);
            boolean[] expected = new boolean[total];
            for (int j = 0; j < Math.max(0, Math.min(k, total)); j++) {
                expected[(int) (reference[j] & 0xFFFF_FFFFL)] = true;
            }
            ScoreOrder.Cut cut = ScoreOrder.cutSmallest(parts, k);
            long[] counts = cut.countsPerPart(parts);
            int offset = 0;
            for (int p = 0; p < numParts; p++) {
                long expectedCount = 0;
                for (int i = 0; i < parts[p].length; i++) {
                    if (expected[offset + i]) {
                        expectedCount++;
                    }
                }
                assertThat(counts[p]).isEqualTo(expectedCount);
                offset += parts[p].length;
            }
            byte[][] kept = cut.keptBytes(parts);
            offset = 0;
            for (int p = 0; p < numParts; p++) {
                for (int i = 0; i < kept[p].length; i++) {
                    assertThat(kept[p][i]).isEqualTo((byte) (expected[offset + i] ? 0 : 1));
                }
                assertThat(Arrays4j.countZeros(kept[p])).isEqualTo(counts[p]);
                offset += parts[p].length;
            }
        }
    }

    @Test
    void nanScoresAreRejectedNamingTheTensorAndIndex() {
        assertThatThrownBy(() -> ScoreOrder.sortableValues(new float[] {1f, Float.NaN}, null, "0_W"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'0_W'")
                .hasMessageContaining("index 1");
        float[] otherNans = {Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0xFFC0_0000), Float.intBitsToFloat(0xFFFF_FFFF)};
        for (float nan : otherNans) {
            assertThatThrownBy(() -> ScoreOrder.sortableValues(new float[] {0f, 2f, nan}, new byte[] {0, 1, 1}, "1_W"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'1_W'")
                    .hasMessageContaining("index 2");
        }
    }

    @Test
    void sortableValuesAreTheSortableBitsWithPreviouslyPrunedEntriesFirst() {
        float[] scores = {
            -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MAX_VALUE, 1.5f, -2.25f, 3e-39f
        };
        byte[] kept = {1, 0, 1, 1, 1, 0, 1, 1, 1, 1};
        int[] values = ScoreOrder.sortableValues(scores, kept, "x");
        int[] unforced = ScoreOrder.sortableValues(scores, null, "x");
        for (int i = 0; i < scores.length; i++) {
            assertThat(unforced[i]).as("entry %d", i).isEqualTo(ScoreOrder.sortableBits(scores[i]));
            assertThat(values[i]).as("entry %d", i)
                    .isEqualTo(kept[i] == 0 ? ScoreOrder.FORCED_FIRST : ScoreOrder.sortableBits(scores[i]));
        }
        assertThatThrownBy(() -> ScoreOrder.sortableValues(scores, new byte[3], "x"))
                .hasMessageContaining("'x'")
                .hasMessageContaining("3 mask entries for 10 scores");
    }

    @Test
    void sortableBitsPreservesFloatOrder() {
        float[] v = {-Float.MAX_VALUE, -3f, -1e-30f, 0f, 1e-30f, 2f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 1; i < v.length; i++) {
            assertThat(ScoreOrder.sortableBits(v[i])).isGreaterThan(ScoreOrder.sortableBits(v[i - 1]));
        }
        assertThat(ScoreOrder.sortableBits(-0f)).isEqualTo(ScoreOrder.sortableBits(0f));
    }

    @Test
    void sortableValuesFromAnArrayEqualThoseFromFloats_intoTheGivenArray_andRejectNaNByIndex() {
        float[] scores = {3f, -0f, 0f, 1.5f, Float.MIN_VALUE, 7f, 2f};
        byte[] kept = {1, 1, 0, 1, 1, 0, 1};
        INDArray array = Nd4j.createFromArray(scores).reshape(7);
        int[] dest = new int[7];
        int[] fromArray = ScoreOrder.sortableValues(array, kept.clone(), "x", dest);
        assertThat(fromArray).isSameAs(dest).containsExactly(ScoreOrder.sortableValues(scores, kept, "x"));
        assertThat(fromArray[1]).isEqualTo(ScoreOrder.sortableBits(0f));
        // a DOUBLE array and an F-order view read in C order
        INDArray matrix = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}}).dup('f');
        assertThat(ScoreOrder.sortableValues(matrix, null, "m", new int[6]))
                .containsExactly(ScoreOrder.sortableValues(new float[] {1, 2, 3, 4, 5, 6}, null, "m"));
        INDArray nan = Nd4j.createFromArray(new float[] {0f, 1f, Float.NaN});
        assertThatThrownBy(() -> ScoreOrder.sortableValues(nan, new byte[] {0, 1, 1}, "2_W", new int[3]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'2_W'")
                .hasMessageContaining("index 2");
        assertThatThrownBy(() -> ScoreOrder.sortableValues(nan, null, "2_W", new int[4]))
                .hasMessageContaining("destination 4");
    }

    @Test
    void aCutWithACallersHistogramAndOutputArraysEqualsTheAllocatingOne() {
        Random r = new Random(3);
        int[][] parts = new int[2][];
        for (int p = 0; p < 2; p++) {
            float[] s = new float[500];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.round(r.nextGaussian() * 8) / 8f; // many ties
            }
            parts[p] = ScoreOrder.sortableValues(s, null, "p" + p);
        }
        int[] dirty = new int[1 << 16];
        for (long k : new long[] {0, 1, 333, 999, 1000}) {
            Arrays.fill(dirty, 0);
            ScoreOrder.Cut expected = ScoreOrder.cutSmallest(parts, k);
            ScoreOrder.Cut actual = ScoreOrder.cutSmallest(parts, k, dirty);
            assertThat(actual).as("k=%d", k).isEqualTo(expected);
            byte[][] out = {new byte[500], new byte[500]};
            Arrays.fill(out[0], (byte) 7);
            assertThat(actual.keptBytes(parts, out)).isSameAs(out);
            assertThat(out[0]).containsExactly(expected.keptBytes(parts)[0]);
            assertThat(out[1]).containsExactly(expected.keptBytes(parts)[1]);
        }
        assertThatThrownBy(() -> ScoreOrder.cutSmallest(parts, 3, new int[10])).hasMessageContaining("histogram");
    }
}
