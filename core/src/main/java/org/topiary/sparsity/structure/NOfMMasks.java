package org.topiary.sparsity.structure;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;

/**
 * N:M masks: every output's inputs split into runs of {@code m} consecutive weights ({@code
 * inputs / m} runs per output, {@code G_m = outputs · inputs / m} in all); a <i>converted</i> run
 * keeps exactly the {@code n} entries with the highest scores (ties: the lower input index is
 * pruned first), an unconverted run keeps everything.
 *
 * <p>A gradual schedule converts runs cheapest first: the cost of a run is the sum of its {@code
 * m − n} lowest scores (the magnitude it would lose), ties to the lower run index (output-major).
 * A converted run stays converted with the same survivors (monotone), unless regrowth is allowed.
 */
public final class NOfMMasks {
    private NOfMMasks() {}

    /**
     * Checks that {@code view}'s input dimension is a multiple of {@code m}.
     *
     * @throws IllegalArgumentException naming the tensor otherwise
     */
    public static void requireDivisible(MatrixView view, SparsityPattern.NOfM pattern) {
        Checks.isTrue(
                view.inputs() % pattern.m() == 0,
                "tensor '%s' cannot be pruned %s: its input dimension (%d inputs per output) is not a"
                        + " multiple of m = %d. Exclude it (optExclude) or choose an m that divides %d",
                view.tensorId(),
                pattern,
                view.inputs(),
                pattern.m(),
                view.inputs());
    }

    /**
     * The mask (BOOL, the tensor's shape) with {@code converted} runs in n:m.
     *
     * @param scores element scores, the tensor's shape (e.g. |w|)
     * @param previousMask the current mask or {@code null}; its converted runs (exactly {@code m−n}
     *     pruned) stay as they are
     * @param converted how many runs to convert in all, in {@code [0, G_m]}
     */
    public static INDArray mask(MatrixView view, SparsityPattern.NOfM pattern, INDArray scores, INDArray previousMask, long converted) {
        requireDivisible(view, pattern);
        int n = pattern.n();
        int m = pattern.m();
        long runsPerOutput = view.inputs() / m;
        int runs = Math.toIntExact(view.outputs() * runsPerOutput);
        Checks.isTrue(converted >= 0 && converted <= runs, "converted must be in [0, %d], found %d", runs, converted);
        float[] s = Arrays4j.toFloatC(scores);
        boolean[] prev = previousMask == null ? null : Arrays4j.toBooleanC(previousMask, view.length());
        boolean[] kept = new boolean[s.length];
        Arrays.fill(kept, true);
        boolean[] done = new boolean[runs];
        double[] cost = new double[runs];
        int[][] pruneOrder = new int[runs][];
        for (int r = 0; r < runs; r++) {
            long o = r / runsPerOutput;
            long first = (r % runsPerOutput) * m;
            int[] idx = new int[m];
            int prunedBefore = 0;
            for (int j = 0; j < m; j++) {
                idx[j] = view.index(o, first + j);
                if (prev != null && !prev[idx[j]]) {
                    prunedBefore++;
                }
            }
            if (prunedBefore == m - n) {
                done[r] = true;
                for (int j = 0; j < m; j++) {
                    kept[idx[j]] = prev[idx[j]];
                }
                continue;
            }
            // insertion sort of the run's positions by (score, position): m is small
            int[] order = new int[m];
            for (int j = 0; j < m; j++) {
                int k = j;
                while (k > 0 && Float.compare(s[idx[order[k - 1]]], s[idx[j]]) > 0) {
                    order[k] = order[k - 1];
                    k--;
                }
                order[k] = j;
            }
            int[] drop = new int[m - n];
            for (int j = 0; j < m - n; j++) {
                drop[j] = idx[order[j]];
                cost[r] += s[drop[j]];
            }
            pruneOrder[r] = drop;
        }
        boolean[] runKept = LowestGroups.keep(cost, done, converted, "tensor '" + view.tensorId() + "'");
        for (int r = 0; r < runs; r++) {
            if (!runKept[r] && !done[r]) {
                for (int i : pruneOrder[r]) {
                    kept[i] = false;
                }
            }
        }
        return Arrays4j.boolMask(kept, view.shape());
    }

    /**
     * Whether {@code mask} is fully n:m on {@code view}: exactly {@code n} kept in every run.
     * Useful to validate exported models.
     */
    public static boolean isNOfM(MatrixView view, SparsityPattern.NOfM pattern, INDArray mask) {
        if (view.inputs() % pattern.m() != 0) {
            return false;
        }
        boolean[] kept = Arrays4j.toBooleanC(mask, view.length());
        for (long o = 0; o < view.outputs(); o++) {
            for (long first = 0; first < view.inputs(); first += pattern.m()) {
                int k = 0;
                for (int j = 0; j < pattern.m(); j++) {
                    if (kept[view.index(o, first + j)]) {
                        k++;
                    }
                }
                if (k != pattern.n()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Number of runs of {@code m} in the tensor, {@code outputs · inputs / m}. */
    public static long runCount(MatrixView view, SparsityPattern.NOfM pattern) {
        requireDivisible(view, pattern);
        return view.length() / pattern.m();
    }
}
