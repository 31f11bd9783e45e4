package org.topiary.examples.search;

import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * A generator that hands out at most {@code limit} candidates. Arbiter's runner keeps one
 * candidate queued per thread and stops only when a termination condition fires, so with N
 * threads and {@code MaxCandidatesCondition(k)} up to {@code k + N − 1} candidates would start;
 * capping the generator makes the count exact.
 */
final class BudgetedGenerator implements CandidateGenerator {
    private final CandidateGenerator delegate;
    private final int limit;
    private final AtomicInteger issued = new AtomicInteger();

    BudgetedGenerator(CandidateGenerator delegate, int limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public boolean hasMoreCandidates() {
        return issued.get() < limit && delegate.hasMoreCandidates();
    }

    @Override
    public Candidate getCandidate() {
        issued.incrementAndGet();
        return delegate.getCandidate();
    }

    @Override
    public void reportResults(OptimizationResult result) {
        delegate.reportResults(result);
    }

    @Override
    public ParameterSpace<?> getParameterSpace() {
        return delegate.getParameterSpace();
    }

    @Override
    public void setRngSeed(long rngSeed) {
        delegate.setRngSeed(rngSeed);
    }

    @Override
    public Class<?> getCandidateType() {
        return delegate.getCandidateType();
    }
}
