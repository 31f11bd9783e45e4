package org.topiary.examples.search;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.sparsity.auto.SensitivityCurve;
import org.topiary.sparsity.auto.SparsityAllocator;
import org.topiary.sparsity.dl4j.auto.SensitivityAnalysis;

/**
 * {@link AllocationMode#SENSITIVITY} for a search: the sensitivity curves of one dense model,
 * measured once ({@link SensitivityAnalysis}, on the validation split), and the loss-minimising
 * allocator ({@link SparsityAllocator#minimizeLoss()}) that turns each candidate's overall
 * target into per-tensor sparsities (keys are DL4J param ids such as {@code 0_W}; the tensors
 * together prune exactly {@code round(S · N)} weights). Immutable after construction, so
 * concurrent candidates may share it.
 *
 * <p>{@link #beyond} allocates from survivor curves measured at a pruned operating point
 * ({@code OperatingPointSensitivity} in {@code examples.train}) with {@link
 * SparsityAllocator#allocateBeyond}: every target must then be at least the operating point's
 * sparsity, and no tensor keeps more than its survivors.
 */
public final class SensitivityAllocation implements LayerAllocator {

    private final List<SensitivityCurve> curves;
    private final SparsityAllocator allocator;
    /** Whole-tensor sizes for survivor curves, {@code null} for dense curves. */
    private final Map<String, Long> sizes;

    private SensitivityAllocation(List<SensitivityCurve> curves, SparsityAllocator allocator, Map<String, Long> sizes) {
        this.curves = List.copyOf(curves);
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.sizes = sizes == null ? null : Map.copyOf(sizes);
        if (this.curves.isEmpty()) {
            throw new IllegalArgumentException("curves must not be empty: the model has no prunable tensor");
        }
    }

    /**
     * An allocation from measured curves.
     *
     * @param curves one curve per prunable tensor
     * @return the allocator
     */
    public static SensitivityAllocation of(List<SensitivityCurve> curves) {
        return new SensitivityAllocation(curves, SparsityAllocator.minimizeLoss(), null);
    }

    /**
     * An allocation from survivor curves measured at a pruned operating point.
     *
     * @param survivorCurves one curve per prunable tensor, sizes = survivors, grid = fractions
     * @param sizes whole-tensor size of every tensor, keyed by the curves' ids
     * @return the allocator ({@link SparsityAllocator#allocateBeyond} per target)
     */
    public static SensitivityAllocation beyond(List<SensitivityCurve> survivorCurves, Map<String, Long> sizes) {
        return new SensitivityAllocation(survivorCurves, SparsityAllocator.minimizeLoss(), Objects.requireNonNull(sizes, "sizes"));
    }

    /**
     * Measures {@code dense} (the default grid 0.1 … 0.98, one-shot magnitude pruning of one
     * tensor at a time, validation accuracy) and allocates from the curves.
     *
     * @param dense a trained model; it is restored after every measurement
     * @param validation the validation examples (never the test set)
     * @return the allocator
     */
    public static SensitivityAllocation analyse(Model dense, DataSetIterator validation) {
        SensitivityAnalysis analysis = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(validation))
                .build();
        return of(analysis.run(dense));
    }

    /** The curves, one per tensor. */
    public List<SensitivityCurve> curves() {
        return curves;
    }

    @Override
    public Map<String, Double> allocate(double target) {
        return (sizes == null ? allocator.allocate(curves, target) : allocator.allocateBeyond(curves, sizes, target)).sparsities();
    }
}
