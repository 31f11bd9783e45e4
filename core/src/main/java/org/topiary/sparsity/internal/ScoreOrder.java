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

    /** Sorts keys in place and returns them. */
    public static long[] sort(long[] keys) {
        Arrays.sort(keys);
        return keys;
    }

    /** The position stored in a key. */
    public static long position(long key) {
        return key & 0xFFFF_FFFFL;
    }
}
