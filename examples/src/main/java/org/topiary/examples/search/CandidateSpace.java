package org.topiary.examples.search;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * The Arbiter {@link ParameterSpace} of a {@link SearchSpace}: one leaf per searched component of
 * {@link CandidateSettings} (in record order), each mapping one value in {@code [0, 1]} to its
 * range or choice list. A fixed range or a one-value choice list is a constant, not a leaf:
 * Arbiter 1.0.0-beta7's grid generator mis-indexes one-value leaves, so they are kept out of the
 * flat vector entirely.
 *
 * <p>Arbiter's generators assign each leaf its index in the flat vector ({@code setIndices});
 * this composite only combines the leaves' values. Every generator must get its own {@code
 * CandidateSpace} (the indices are set on the leaf objects).
 */
public final class CandidateSpace extends AbstractParameterSpace<CandidateSettings> {

    /** A component: a constant or a leaf parameter space. */
    private record Dim<T>(T constant, ParameterSpace<T> space) implements java.io.Serializable {
        T value(double[] values) {
            return space == null ? constant : space.getValue(values);
        }
    }

    private final Dim<Double> sparsity;
    private final Dim<Double> begin;
    private final Dim<Double> end;
    private final Dim<Long> frequency;
    private final Dim<AllocationMode> allocation;
    private final Dim<L1Mode> l1;
    private final Dim<Double> l1Strength;
    private final Dim<Boolean> distill;
    private final Dim<Double> temperature;
    private final Dim<Double> alpha;
    private final Dim<PatternMode> pattern;

    CandidateSpace(SearchSpace space) {
        sparsity = continuous(space.sparsity(), false);
        begin = continuous(space.beginFraction(), false);
        end = continuous(space.endFraction(), false);
        frequency = discrete(space.frequencies());
        allocation = discrete(space.allocations());
        l1 = discrete(space.l1Modes());
        l1Strength = continuous(space.l1Strength(), true);
        distill = discrete(space.distill());
        temperature = continuous(space.temperature(), false);
        alpha = continuous(space.alpha(), false);
        pattern = discrete(space.patterns());
    }

    private static Dim<Double> continuous(SearchSpace.Range r, boolean logScale) {
        if (r.isFixed()) {
            return new Dim<>(r.min(), null);
        }
        return new Dim<>(null, logScale
                ? new ContinuousParameterSpace(new LogUniformDistribution(r.min(), r.max()))
                : new ContinuousParameterSpace(r.min(), r.max()));
    }

    private static <T> Dim<T> discrete(List<T> values) {
        return values.size() == 1 ? new Dim<>(values.get(0), null) : new Dim<>(null, new DiscreteParameterSpace<>(values));
    }

    private List<Dim<?>> dims() {
        return List.of(sparsity, begin, end, frequency, allocation, l1, l1Strength, distill, temperature, alpha, pattern);
    }

    private List<ParameterSpace<?>> leaves() {
        List<ParameterSpace<?>> out = new ArrayList<>();
        for (Dim<?> d : dims()) {
            if (d.space() != null) {
                out.add(d.space());
            }
        }
        return out;
    }

    @Override
    public CandidateSettings getValue(double[] values) {
        return CandidateSettings.of(
                sparsity.value(values),
                begin.value(values),
                end.value(values),
                frequency.value(values),
                allocation.value(values),
                l1.value(values),
                l1Strength.value(values),
                distill.value(values),
                temperature.value(values),
                alpha.value(values))
                .withPattern(pattern.value(values));
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
        return "CandidateSpace" + dims();
    }
}
