package org.topiary.sparsity.structure;

import java.util.Arrays;
import java.util.Comparator;
import org.topiary.sparsity.internal.Checks;

/**
 * The structured mask rule: removes the {@code k} units (groups, blocks, runs) with the lowest
 * scores; ties go to the lower index, and units already removed (monotone) sort before every
 * score, so exactly {@code max(k, already removed)} units are removed.
 */
public final class LowestGroups {
    private LowestGroups() {}

    /**
     * Kept flags, one per unit.
     *
     * @param scores one per unit; NaN is an error naming {@code what}
     * @param removedBefore units already removed that must stay removed, or {@code null}
     * @param k how many to remove
     */
    public static boolean[] keep(double[] scores, boolean[] removedBefore, long k, String what) {
        int n = scores.length;
        Checks.isTrue(k >= 0 && k <= n, "cannot remove %d of %d units of %s", k, n, what);
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalStateException(
                        "group scores of " + what + " contain NaN at index " + i
                                + ": the weights have diverged. Lower the learning rate or check the data.");
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> cmp =
                Comparator.<Integer>comparingInt(i -> removedBefore != null && removedBefore[i] ? 0 : 1)
                        .thenComparingDouble(i -> scores[i])
                        .thenComparingInt(i -> i);
        Arrays.sort(order, cmp);
        long removed = k;
        if (removedBefore != null) {
            long before = 0;
            for (boolean b : removedBefore) {
                if (b) {
                    before++;
                }
            }
            removed = Math.max(k, before);
        }
        boolean[] kept = new boolean[n];
        Arrays.fill(kept, true);
        for (int j = 0; j < removed; j++) {
            kept[order[j]] = false;
        }
        return kept;
    }
}
