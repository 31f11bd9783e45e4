package org.topiary.examples.search;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * The Arbiter {@link ParameterSpace} of a {@link SearchSpace}: ten leaves (one per component of
 * {@link CandidateSettings}, in record order), each mapping one value in {@code [0, 1]} to its
 * range or choice list. A fixed range is a one-value discrete leaf, so the grid generator gives
 * it one grid point and every generator still sees ten dimensions.
 *
 * <p>Arbiter's generators assign each leaf its index in the flat vector ({@code setIndices});
 * this composite only combines the leaves' values. Every generator must get its own {@code
 * CandidateSpace} (the indices are set on the leaf objects).
 */
public final class CandidateSpace extends AbstractParameterSpace<CandidateSettings> {

    private final ParameterSpace<Double> sparsity;
    private final ParameterSpace<Double> begin;
    private final ParameterSpace<Double> end;
    private final ParameterSpace<Long> frequency;
    private final ParameterSpace<AllocationMode> allocation;
    private final ParameterSpace<L1Mode> l1;
    private final ParameterSpace<Double> l1Strength;
    private final ParameterSpace<Boolean> distill;
    private final ParameterSpace<Double> temperature;
    private final ParameterSpace<Double> alpha;

    CandidateSpace(SearchSpace space) {
        sparsity = continuous(space.sparsity(), false);
        begin = continuous(space.beginFraction(), false);
        end = continuous(space.endFraction(), false);
        frequency = new DiscreteParameterSpace<>(space.frequencies());
        allocation = new DiscreteParameterSpace<>(space.allocations());
        l1 = new DiscreteParameterSpace<>(space.l1Modes());
        l1Strength = continuous(space.l1Strength(), true);
        distill = new DiscreteParameterSpace<>(space.distill());
        temperature = continuous(space.temperature(), false);
        alpha = continuous(space.alpha(), false);
    }

    private static ParameterSpace<Double> continuous(SearchSpace.Range r, boolean logScale) {
        if (r.isFixed()) {
            return new DiscreteParameterSpace<>(r.min());
        }
        return logScale
                ? new ContinuousParameterSpace(new LogUniformDistribution(r.min(), r.max()))
                : new ContinuousParameterSpace(r.min(), r.max());
    }

    private List<ParameterSpace<?>> leaves() {
        return List.of(sparsity, begin, end, frequency, allocation, l1, l1Strength, distill, temperature, alpha);
    }

    @Override
    public CandidateSettings getValue(double[] values) {
        return CandidateSettings.of(
                sparsity.getValue(values),
                begin.getValue(values),
                end.getValue(values),
                frequency.getValue(values),
                allocation.getValue(values),
                l1.getValue(values),
                l1Strength.getValue(values),
                distill.getValue(values),
                temperature.getValue(values),
                alpha.getValue(values));
    }

    @Override
    public int numParameters() {
        return leaves().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> out = new ArrayList<>();
        for (ParameterSpace<?> p : leaves()) {
            out.addAll(p.collectLeaves());
        }
        return out;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException(
                "CandidateSpace is not a leaf: Arbiter sets the indices of its leaves (collectLeaves())");
    }

    @Override
    public String toString() {
        return "CandidateSpace" + leaves();
    }
}
