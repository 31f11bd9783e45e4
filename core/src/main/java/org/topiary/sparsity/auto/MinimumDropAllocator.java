package org.topiary.sparsity.auto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.internal.Checks;

/**
 * Minimum predicted drop allocation by greedy marginal cost over convex hulls.
 *
 * <p><b>Problem.</b> Tensors {@code l = 1..L} of sizes {@code n_l}; choose integer pruned counts
 * {@code c_l in [0, u_l]}, {@code u_l = countFor(lastGridSparsity_l, n_l) <= n_l - 1}, with
 *
 * <pre>
 *   Σ_l c_l = K = round(S · N),  N = Σ_l n_l,     minimizing   Σ_l d_l(c_l)
 * </pre>
 *
 * where {@code d_l} is the curve's monotone piecewise-linear drop in count space ({@link
 * SensitivityCurve#dropAtCount}). The sum of drops is the usual additive (first-order)
 * sensitivity model: each tensor's drop is measured with the others unpruned.
 *
 * <p><b>Algorithm.</b> (1) Replace each {@code d_l} by its lower convex hull {@code h_l} (knots
 * {@code (0, 0)} and the grid counts). (2) Cut every hull into segments with a length (weights)
 * and a slope (drop per pruned weight); slopes increase along a hull. (3) Take segments from all
 * tensors in increasing slope (ties: earlier tensor, then earlier segment), each as a whole,
 * until the next one is longer than what is still missing; take that part of it. For separable
 * convex piecewise-linear costs under one sum constraint this greedy is optimal (it is the
 * Lagrangian solution: one marginal price λ, every tensor pruned while its slope is below λ).
 * (4) Every tensor but at most one ends on a hull knot, where {@code h_l = d_l}; so the result is
 * optimal when the curves are convex and otherwise exceeds the optimum by at most the gap
 * between one curve and its hull. The predicted drop reported is {@code Σ d_l(c_l)} on the real
 * curves, not on the hulls.
 *
 * <p>Cost: {@code O(G·L·log(G·L))} for {@code G} grid points, independent of the tensor sizes.
 */
final class MinimumDropAllocator implements SparsityAllocator {
    static final MinimumDropAllocator INSTANCE = new MinimumDropAllocator();

    private MinimumDropAllocator() {}

    private record Segment(int tensor, int index, long length, double slope) {}

    @Override
    public Allocation allocate(List<SensitivityCurve> curves, double globalSparsity) {
        long total = validate(curves);
        Checks.inHalfOpenRange("globalSparsity", globalSparsity, 0.0, 1.0);
        long reachable = reachable(curves);
        long k = Math.round(globalSparsity * total);
        if (k > reachable) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "globalSparsity %s needs %d of %d weights pruned, but the curves' grids reach only %d"
                            + " (overall sparsity %.6f); add larger sparsities to the grid (e.g. 0.99, 0.995)",
                    globalSparsity, k, total, reachable, (double) reachable / total));
        }
        long[] counts = greedy(curves, k);
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Long> pruned = new LinkedHashMap<>();
        double drop = 0;
        for (int l = 0; l < curves.size(); l++) {
            SensitivityCurve c = curves.get(l);
            sizes.put(c.tensorId(), c.size());
            pruned.put(c.tensorId(), counts[l]);
            drop += c.dropAtCount(counts[l]);
        }
        return new Allocation(sizes, pruned, globalSparsity, drop);
    }

    /**
     * From an operating point: curve {@code l} is measured on the {@code m_l = curve.size()}
     * survivors of a tensor of {@code n_l = sizes.get(id)} weights, so {@code p_l = n_l - m_l} are
     * already pruned. The extra counts {@code e_l} solve the problem above with {@code K' = round(S
     * · N) - Σ p_l} and the survivor curves; the allocation prunes {@code c_l = p_l + e_l <= n_l - 1}.
     */
    @Override
    public Allocation allocateBeyond(List<SensitivityCurve> survivorCurves, Map<String, Long> sizes, double globalSparsity) {
        validate(survivorCurves);
        Checks.notNull("sizes", sizes);
        Checks.inHalfOpenRange("globalSparsity", globalSparsity, 0.0, 1.0);
        Set<String> ids = new HashSet<>();
        long total = 0;
        long already = 0;
        for (SensitivityCurve c : survivorCurves) {
            ids.add(c.tensorId());
            Long n = sizes.get(c.tensorId());
            Checks.isTrue(n != null, "sizes has no entry for tensor '%s'; give the full size of every tensor with a curve",
                    c.tensorId());
            Checks.isTrue(c.size() <= n,
                    "curve of '%s' has %d survivors but sizes gives the tensor %d weights; a survivor curve's size"
                            + " must not exceed the tensor's size",
                    c.tensorId(), c.size(), n);
            total += n;
            already += n - c.size();
        }
        Checks.isTrue(ids.equals(sizes.keySet()),
                "sizes has tensors %s without a curve; give one survivor curve per tensor in sizes",
                sizes.keySet().stream().filter(id -> !ids.contains(id)).toList());
        long k = Math.round(globalSparsity * total);
        if (k < already) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "globalSparsity %s needs %d of %d weights pruned, but the operating point already prunes %d"
                            + " (overall sparsity %.6f); measure the curves at a lower operating sparsity",
                    globalSparsity, k, total, already, (double) already / total));
        }
        long reachable = reachable(survivorCurves);
        if (k - already > reachable) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "globalSparsity %s needs %d more of the %d survivors pruned, but the curves' grids reach only %d"
                            + " (overall sparsity %.6f); add larger fractions to the grid (e.g. 0.95)",
                    globalSparsity, k - already, total - already, reachable, (double) (already + reachable) / total));
        }
        long[] extra = greedy(survivorCurves, k - already);
        Map<String, Long> full = new LinkedHashMap<>();
        Map<String, Long> pruned = new LinkedHashMap<>();
        double drop = 0;
        for (int l = 0; l < survivorCurves.size(); l++) {
            SensitivityCurve c = survivorCurves.get(l);
            long n = sizes.get(c.tensorId());
            full.put(c.tensorId(), n);
            pruned.put(c.tensorId(), n - c.size() + extra[l]);
            drop += c.dropAtCount(extra[l]);
        }
        return new Allocation(full, pruned, globalSparsity, drop);
    }

    /** Checks the curves (non-empty, distinct ids) and returns {@code Σ size}. */
    private static long validate(List<SensitivityCurve> curves) {
        Checks.notNull("curves", curves);
        Checks.isTrue(!curves.isEmpty(), "curves must not be empty; measure at least one tensor");
        Set<String> ids = new HashSet<>();
        long total = 0;
        for (SensitivityCurve c : curves) {
            Checks.notNull("curve", c);
            Checks.isTrue(ids.add(c.tensorId()), "tensor '%s' has two curves; give one curve per tensor", c.tensorId());
            total += c.size();
        }
        return total;
    }

    private static long reachable(List<SensitivityCurve> curves) {
        return curves.stream().mapToLong(SensitivityCurve::maxPrunedCount).sum();
    }

    /** Steps (1)–(3) of the algorithm: pruned counts per curve with {@code Σ = k <= reachable}. */
    private static long[] greedy(List<SensitivityCurve> curves, long k) {
        List<Segment> segments = new ArrayList<>();
        for (int l = 0; l < curves.size(); l++) {
            SensitivityCurve c = curves.get(l);
            long[] xs = c.knotCounts();
            double[] ys = c.knotMetrics();
            double[] drops = new double[ys.length];
            for (int i = 0; i < ys.length; i++) {
                drops[i] = c.baseline() - ys[i];
            }
            int[] hull = lowerHull(xs, drops);
            for (int h = 1; h < hull.length; h++) {
                long len = xs[hull[h]] - xs[hull[h - 1]];
                double slope = (drops[hull[h]] - drops[hull[h - 1]]) / len;
                segments.add(new Segment(l, h, len, slope));
            }
        }
        segments.sort(Comparator.comparingDouble(Segment::slope)
                .thenComparingInt(Segment::tensor)
                .thenComparingInt(Segment::index));
        long[] counts = new long[curves.size()];
        long missing = k;
        for (Segment s : segments) {
            if (missing == 0) {
                break;
            }
            long take = Math.min(s.length(), missing);
            counts[s.tensor()] += take;
            missing -= take;
        }
        Checks.state(missing == 0, "internal: %d weights left unallocated", missing);
        return counts;
    }

    /**
     * Indices of the lower convex hull of points with increasing x (Andrew's monotone chain, lower
     * half); collinear middle points are dropped.
     */
    static int[] lowerHull(long[] xs, double[] ys) {
        int[] h = new int[xs.length];
        int m = 0;
        for (int i = 0; i < xs.length; i++) {
            while (m >= 2 && cross(xs, ys, h[m - 2], h[m - 1], i) <= 0) {
                m--;
            }
            h[m++] = i;
        }
        return java.util.Arrays.copyOf(h, m);
    }

    /** Cross product of (b - a) and (c - a); > 0 for a left (counter-clockwise) turn. */
    private static double cross(long[] xs, double[] ys, int a, int b, int c) {
        double abx = xs[b] - xs[a];
        double aby = ys[b] - ys[a];
        double acx = xs[c] - xs[a];
        double acy = ys[c] - ys[a];
        return abx * acy - aby * acx;
    }

    @Override
    public String toString() {
        return "SparsityAllocator.minimizeLoss()";
    }
}
