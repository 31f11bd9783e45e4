package org.topiary.examples.search;

import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;

/**
 * Stops the runner when the generator has nothing left and no candidate is running. Arbiter's
 * runner loops until a condition fires, so without this a grid smaller than the budget (or a
 * genetic generator that gives up) would keep it polling forever.
 */
final class GeneratorExhausted implements TerminationCondition {
    private final CandidateGenerator generator;

    GeneratorExhausted(CandidateGenerator generator) {
        this.generator = generator;
    }

    @Override
    public void initialize(IOptimizationRunner runner) {}

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        return !generator.hasMoreCandidates() && runner.numCandidatesQueued() == 0;
    }

    @Override
    public String toString() {
        return "GeneratorExhausted";
    }
}
