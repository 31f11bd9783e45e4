package org.topiary.sparsity.auto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.internal.Checks;

/**
 * Per-tensor sparsities chosen by a {@link SparsityAllocator}, in the order of the curves.
 *
 * <p><b>Exact counts.</b> Tensor {@code l} prunes {@code prunedCounts().get(id) = c_l} weights and
 * its sparsity is {@code s_l = c_l / n_l}. Because {@code c_l <= n_l - 1} and {@code
 * round((c_l / n_l) · n_l) == c_l} in double arithmetic, {@link MaskStrategy#countFor} gives back
 * exactly {@code c_l} when the pruning listener applies {@code s_l} as an override, so the run
 * prunes {@code Σ c_l = round(S · N)} weights at the end of the schedule.
 */
public final class Allocation {
    private final Map<String, Double> sparsities;
    private final Map<String, Long> prunedCounts;
    private final Map<String, Long> sizes;
    private final double targetSparsity;
    private final double predictedDrop;

    Allocation(Map<String, Long> sizes, Map<String, Long> prunedCounts, double targetSparsity, double predictedDrop) {
        Checks.notNull("sizes", sizes);
        Checks.notNull("prunedCounts", prunedCounts);
        Checks.isTrue(sizes.keySet().equals(prunedCounts.keySet()), "sizes and prunedCounts must have the same tensors");
        Map<String, Double> s = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            long n = e.getValue();
            long c = prunedCounts.get(e.getKey());
            Checks.isTrue(c >= 0 && c <= n - 1, "pruned count of '%s' must be in [0, %d], found %d", e.getKey(), n - 1, c);
            s.put(e.getKey(), (double) c / (double) n);
        }
        this.sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
        this.prunedCounts = Collections.unmodifiableMap(new LinkedHashMap<>(prunedCounts));
        this.sparsities = Collections.unmodifiableMap(s);
        this.targetSparsity = targetSparsity;
        this.predictedDrop = predictedDrop;
    }

    /** Sparsity per tensor id ({@code c_l / n_l}), in curve order. */
    public Map<String, Double> sparsities() {
        return sparsities;
    }

    /** Pruned weights per tensor id. */
    public Map<String, Long> prunedCounts() {
        return prunedCounts;
    }

    /** Weights per tensor id. */
    public Map<String, Long> sizes() {
        return sizes;
    }

    /** The global target {@code S} asked for. */
    public double targetSparsity() {
        return targetSparsity;
    }

    /** {@code Σ c_l}: equals {@code round(S · N)}. */
    public long totalPruned() {
        return prunedCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code N = Σ n_l}. */
    public long totalSize() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code Σ c_l / N}: the achieved overall sparsity (the target up to one weight in N). */
    public double achievedSparsity() {
        return (double) totalPruned() / (double) totalSize();
    }

    /**
     * The predicted metric drop, {@code Σ_l drop_l(c_l)}: the sum of each tensor's drop when pruned
     * alone (an additive model; interactions between tensors are not measured).
     */
    public double predictedDrop() {
        return predictedDrop;
    }

    /**
     * Adds one override per tensor ({@code optOverride(tensorId, s_l)}) to {@code builder}.
     *
     * @return the same builder
     */
    public PruningConfig.Builder applyTo(PruningConfig.Builder builder) {
        Checks.notNull("builder", builder);
        sparsities.forEach(builder::optOverride);
        return builder;
    }

    /**
     * {@code config} with this allocation as per-tensor overrides (replacing overrides of the same
     * ids) and the schedule's final sparsity set to the global target, so the tensors the
     * allocation does not cover (if any) follow the target and reports name it.
     */
    public PruningConfig applyTo(PruningConfig config) {
        Checks.notNull("config", config);
        PruningConfig.Builder b = config.toBuilder().setSchedule(config.schedule().withFinalSparsity(targetSparsity));
        return applyTo(b).build();
    }

    /** A text table: id, size, pruned, sparsity, predicted drop of the whole allocation. */
    public String toTable() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %12s %12s %9s%n", "tensor", "size", "pruned", "sparsity"));
        for (String id : sizes.keySet()) {
            sb.append(String.format(Locale.ROOT, "%-24s %12d %12d %9.4f%n", id, sizes.get(id), prunedCounts.get(id), sparsities.get(id)));
        }
        sb.append(String.format(Locale.ROOT, "%-24s %12d %12d %9.4f  (target %s, predicted drop %.4f)%n",
                "total", totalSize(), totalPruned(), achievedSparsity(), targetSparsity, predictedDrop));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Allocation a
                && sizes.equals(a.sizes)
                && prunedCounts.equals(a.prunedCounts)
                && Double.compare(targetSparsity, a.targetSparsity) == 0
                && Double.compare(predictedDrop, a.predictedDrop) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sizes, prunedCounts, targetSparsity, predictedDrop);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Allocation{target=%s, predictedDrop=%.4f, sparsities=%s}", targetSparsity, predictedDrop, sparsities);
    }
}
