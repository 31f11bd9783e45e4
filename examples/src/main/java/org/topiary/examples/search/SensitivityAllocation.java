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
 */
public final class SensitivityAllocation implements LayerAllocator {

    private final List<SensitivityCurve> curves;
    private final SparsityAllocator allocator;

    private SensitivityAllocation(List<SensitivityCurve> curves, SparsityAllocator allocator) {
        this.curves = List.copyOf(curves);
        this.allocator = Objects.requireNonNull(allocator, "allocator");
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
        return new SensitivityAllocation(curves, SparsityAllocator.minimizeLoss());
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
        return allocator.allocate(curves, target).sparsities();
    }
}
