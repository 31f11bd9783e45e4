package org.topiary.sparsity.internal;

import java.util.Arrays;

/**
 * Total, deterministic order of scores used by every magnitude-style mask: ascending score, ties
 * broken by ascending position (flat C-order index, tensors in the order given). Entries that are
 * already pruned and may not regrow sort before every score.
 *
 * <p>Each entry becomes one {@code long}: the score's order-preserving 32-bit image in the high
 * half, its position in the low half, so one primitive sort gives the order.
 */
public final class ScoreOrder {
    private ScoreOrder() {}

    /** Largest number of elements one sort can order (positions are 32-bit). */
    public static final long MAX_ELEMENTS = 0xFFFF_FFFFL;

    /** Order-preserving map from float to int; -0.0 and 0.0 are equal. */
    public static int sortableBits(float f) {
        if (f == 0f) {
            f = 0f;
        }
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
    }

    /**
     * Writes the keys of one tensor into {@code keys[from, from + scores.length)}.
     *
     * @param forcedFirst entries that must sort first (previously pruned), or null
     * @param position position of {@code scores[0]} in the overall order
     * @throws IllegalStateException if a score is NaN
     */
    public static void fillKeys(
            float[] scores, boolean[] forcedFirst, long position, long[] keys, int from, String tensor) {
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s)) {
                throw new IllegalStateException(
                        "Importance scores of tensor '"
                                + tensor
                                + "' contain NaN at index "
                                + i
                                + ": the weights have diverged. Lower the learning rate or check"
                                + " the data; masks cannot be computed from NaN.");
            }
            int high = forcedFirst != null && forcedFirst[i] ? Integer.MIN_VALUE : sortableBits(s);
            keys[from + i] = ((long) high << 32) | ((position + i) & 0xFFFF_FFFFL);
        }
    }

    /**
     * Rearranges {@code keys} so that its first {@code k} entries are the {@code k} smallest (in
     * no particular order): expected linear time (quickselect with median-of-three pivots), against
     * {@code n log n} for a full sort. Keys are distinct, so the set is unique.
     */
    public static void selectSmallest(long[] keys, int k) {
        if (k <= 0 || k >= keys.length) {
            return;
        }
        int lo = 0;
        int hi = keys.length - 1;
        int target = k - 1;
        while (hi > lo) {
            if (hi - lo < 16) {
                Arrays.sort(keys, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            long pivot = median(keys[lo], keys[mid], keys[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = keys[i];
                    keys[i] = keys[j];
                    keys[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** The position stored in a key. */
    public static long position(long key) {
        return key & 0xFFFF_FFFFL;
    }
}
