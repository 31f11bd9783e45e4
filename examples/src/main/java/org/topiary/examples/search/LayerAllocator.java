package org.topiary.examples.search;

import java.util.Map;

/**
 * The seam for {@link AllocationMode#SENSITIVITY}: per-layer final sparsities that together meet
 * an overall target. Built once per search (it holds the sensitivity curves of one dense model)
 * and then only read, so concurrent candidates may share it.
 */
@FunctionalInterface
public interface LayerAllocator {

    /**
     * Per-layer final sparsities for an overall target.
     *
     * @param target fraction of all prunable weights to prune, in {@code [0, 1)}
     * @return layer name (or param id) → final sparsity in {@code [0, 1)}, usable as {@code
     *     PruningConfig.Builder.optOverride} entries
     */
    Map<String, Double> allocate(double target);

    /**
     * An allocator for searches without sensitivity allocation: fails with a message that says
     * how to get one.
     *
     * @return the allocator
     */
    static LayerAllocator unavailable() {
        return target -> {
            throw new IllegalStateException(
                    "allocation 'sensitivity' needs a sensitivity analysis of a dense model, which this"
                            + " search was not given; pass a LayerAllocator to PruningSearch.Builder"
                            + ".optAllocator, or search only the 'layer' and 'global' allocations");
        };
    }
}
