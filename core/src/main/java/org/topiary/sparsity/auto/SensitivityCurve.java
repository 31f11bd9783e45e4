package org.topiary.sparsity.auto;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.internal.Checks;

/**
 * How a metric responds when one tensor <em>alone</em> is one-shot pruned to each sparsity of a
 * grid, every other tensor left untouched. The metric is "higher is better" (e.g. validation
 * accuracy); for a loss pass its negative.
 *
 * <p><b>Counts.</b> Grid point {@code s_j} prunes {@code c_j = MaskStrategy.countFor(s_j, size)}
 * weights (round half up, at most {@code size - 1}), exactly as the pruning listener would, so the
 * curve is defined on pruned <em>counts</em>, with {@code c = 0} at the {@code baseline}.
 *
 * <p><b>Monotone interpolation.</b> Measured metrics are noisy and may rise a little with
 * sparsity. The curve uses the running minimum (a conservative non-increasing envelope):
 *
 * <pre>
 *   e_0 = baseline,   e_j = min(e_{j-1}, m_j)        (grid points in increasing order)
 *   metric(c) = linear interpolation of (c_j, e_j) for c in [0, c_last]
 *   drop(c)   = baseline - metric(c)  &gt;= 0, non-decreasing in c
 * </pre>
 *
 * Nothing is extrapolated: sparsities above the last grid point are not predicted.
 *
 * @param tensorId the tensor's stable id, e.g. DL4J's param id {@code "0_W"}
 * @param size number of weights in the tensor, {@code >= 1}
 * @param sparsities the grid: strictly increasing, each in [0, 1), at least one
 * @param metrics the metric measured at each grid point (finite), same length as the grid
 * @param baseline the metric of the unpruned model (finite)
 */
public record SensitivityCurve(
        String tensorId, long size, double[] sparsities, double[] metrics, double baseline) {

    /** Validates and copies the arrays. */
    public SensitivityCurve {
        Checks.notNull("tensorId", tensorId);
        Checks.positive("size of '" + tensorId + "'", size);
        Checks.notNull("sparsities of '" + tensorId + "'", sparsities);
        Checks.notNull("metrics of '" + tensorId + "'", metrics);
        sparsities = sparsities.clone();
        metrics = metrics.clone();
        validateGrid("sparsities of '" + tensorId + "'", sparsities);
        Checks.isTrue(
                metrics.length == sparsities.length,
                "metrics of '%s' has %d values but the grid has %d points; give one metric per"
                        + " grid sparsity",
                tensorId,
                metrics.length,
                sparsities.length);
        for (int j = 0; j < metrics.length; j++) {
            Checks.isTrue(
                    Double.isFinite(metrics[j]),
                    "metrics[%d] of '%s' (sparsity %s) must be finite, found %s",
                    j,
                    tensorId,
                    sparsities[j],
                    metrics[j]);
        }
        Checks.isTrue(
                Double.isFinite(baseline), "baseline of '%s' must be finite, found %s", tensorId, baseline);
    }

    /**
     * Checks a sparsity grid: non-empty, strictly increasing, every value in [0, 1).
     *
     * @param field the name used in error messages
     * @param grid the grid
     * @throws IllegalArgumentException naming the offending value
     */
    public static void validateGrid(String field, double[] grid) {
        Checks.notNull(field, grid);
        Checks.isTrue(grid.length > 0, "%s must not be empty; give at least one sparsity in [0, 1)", field);
        for (int j = 0; j < grid.length; j++) {
            Checks.inHalfOpenRange(field + "[" + j + "]", grid[j], 0.0, 1.0);
            if (j > 0) {
                Checks.isTrue(
                        grid[j] > grid[j - 1],
                        "%s must be strictly increasing, found %s after %s",
                        field,
                        grid[j],
                        grid[j - 1]);
            }
        }
    }

    /** The grid (a copy). */
    @Override
    public double[] sparsities() {
        return sparsities.clone();
    }

    /** The measured metrics (a copy). */
    @Override
    public double[] metrics() {
        return metrics.clone();
    }

    /** The largest sparsity measured; the curve says nothing beyond it. */
    public double maxSparsity() {
        return sparsities[sparsities.length - 1];
    }

    /** Weights pruned at the largest grid sparsity: the most an allocation may prune here. */
    public long maxPrunedCount() {
        return MaskStrategy.countFor(maxSparsity(), size);
    }

    /**
     * The knots of the monotone envelope in count space: {@code counts[0] = 0} (the baseline) and
     * strictly increasing after; grid points that prune the same count (small tensors) merge.
     */
    long[] knotCounts() {
        return knots().counts;
    }

    /** Envelope metric at each knot, non-increasing. */
    double[] knotMetrics() {
        return knots().values;
    }

    private record Knots(long[] counts, double[] values) {}

    private Knots knots() {
        long[] c = new long[sparsities.length + 1];
        double[] v = new double[sparsities.length + 1];
        c[0] = 0;
        v[0] = baseline;
        int k = 1;
        for (int j = 0; j < sparsities.length; j++) {
            long count = MaskStrategy.countFor(sparsities[j], size);
            double env = Math.min(v[k - 1], metrics[j]);
            if (count == c[k - 1]) {
                v[k - 1] = env;
            } else {
                c[k] = count;
                v[k] = env;
                k++;
            }
        }
        return new Knots(Arrays.copyOf(c, k), Arrays.copyOf(v, k));
    }

    /**
     * The monotone-interpolated metric when {@code pruned} weights of this tensor are pruned.
     *
     * @param pruned in {@code [0, maxPrunedCount()]}
     */
    public double metricAtCount(long pruned) {
        Knots kn = knots();
        long last = kn.counts[kn.counts.length - 1];
        Checks.isTrue(
                pruned >= 0 && pruned <= last,
                "pruned count for '%s' must be in [0, %d] (the measured grid ends at sparsity %s),"
                        + " found %d; extend the grid to predict further",
                tensorId,
                last,
                maxSparsity(),
                pruned);
        return interpolate(kn, pruned);
    }

    /**
     * The monotone-interpolated metric at {@code sparsity}, i.e. at {@code sparsity * size}
     * pruned weights (fractional counts interpolate linearly).
     *
     * @param sparsity in {@code [0, maxSparsity()]}
     */
    public double metricAt(double sparsity) {
        Checks.inClosedRange("sparsity for '" + tensorId + "'", sparsity, 0.0, maxSparsity());
        Knots kn = knots();
        double x = Math.min(sparsity * size, kn.counts[kn.counts.length - 1]);
        return interpolate(kn, x);
    }

    /** {@code baseline - metricAt(sparsity)}: the predicted drop, {@code >= 0}. */
    public double dropAt(double sparsity) {
        return baseline - metricAt(sparsity);
    }

    /** {@code baseline - metricAtCount(pruned)}: the predicted drop, {@code >= 0}. */
    public double dropAtCount(long pruned) {
        return baseline - metricAtCount(pruned);
    }

    private static double interpolate(Knots kn, double x) {
        long[] c = kn.counts;
        double[] v = kn.values;
        if (c.length == 1 || x <= 0) {
            return v[0];
        }
        for (int i = 1; i < c.length; i++) {
            if (x <= c[i]) {
                double t = (x - c[i - 1]) / (double) (c[i] - c[i - 1]);
                return v[i - 1] + t * (v[i] - v[i - 1]);
            }
        }
        return v[v.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensitivityCurve c
                && tensorId.equals(c.tensorId)
                && size == c.size
                && Arrays.equals(sparsities, c.sparsities)
                && Arrays.equals(metrics, c.metrics)
                && Double.compare(baseline, c.baseline) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tensorId, size, Arrays.hashCode(sparsities), Arrays.hashCode(metrics), baseline);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SensitivityCurve{")
                .append(tensorId).append(", size=").append(size)
                .append(String.format(Locale.ROOT, ", baseline=%.4f", baseline));
        for (int j = 0; j < sparsities.length; j++) {
            sb.append(String.format(Locale.ROOT, ", %s:%.4f", sparsities[j], metrics[j]));
        }
        return sb.append('}').toString();
    }
}
