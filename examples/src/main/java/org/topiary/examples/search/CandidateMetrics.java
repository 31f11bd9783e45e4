package org.topiary.examples.search;

import java.io.Serializable;
import org.topiary.sparsity.internal.Checks;

/**
 * What a trained candidate measured on the validation split, and what its shrunk network costs.
 * The shrunk network is the trained one after {@code SurgeryPlan} removed its dead units (exactly:
 * the same outputs); the latencies are {@link LatencyProbe}'s.
 *
 * @param validationAccuracy accuracy on the validation split, a fraction in {@code [0, 1]}
 * @param sparsity prunable weights exactly 0.0 over all prunable weights
 * @param nonzeroWeights prunable weights that are not 0.0
 * @param nonzeroParams parameters of any kind (weights and biases) that are not 0.0
 * @param totalParams all parameters of the network
 * @param shrunkShape units per layer of the shrunk network, inputs first, e.g. {@code
 *     784-30-10-10}
 * @param shrunkParams all parameters of the shrunk network, in {@code [1, totalParams]}
 * @param latencyMillis median milliseconds of one forward pass of the shrunk network (the probe's
 *     batch), {@code > 0}
 * @param denseLatencyMillis the same for the full-size network, measured interleaved with it
 * @param latencyRatio median over timing rounds of shrunk / full-size latency, {@code > 0}
 */
public record CandidateMetrics(
        double validationAccuracy,
        double sparsity,
        long nonzeroWeights,
        long nonzeroParams,
        long totalParams,
        String shrunkShape,
        long shrunkParams,
        double latencyMillis,
        double denseLatencyMillis,
        double latencyRatio)
        implements Serializable {

    /** Validates the components. */
    public CandidateMetrics {
        Checks.inClosedRange("validationAccuracy", validationAccuracy, 0.0, 1.0);
        Checks.inClosedRange("sparsity", sparsity, 0.0, 1.0);
        Checks.nonNegative("nonzeroWeights", nonzeroWeights);
        Checks.nonNegative("nonzeroParams", nonzeroParams);
        Checks.isTrue(
                nonzeroParams <= totalParams,
                "nonzeroParams (%d) must be <= totalParams (%d)",
                nonzeroParams,
                totalParams);
        Checks.notNull("shrunkShape", shrunkShape);
        Checks.positive("shrunkParams", shrunkParams);
        Checks.isTrue(
                shrunkParams <= totalParams,
                "shrunkParams (%d) must be <= totalParams (%d)",
                shrunkParams,
                totalParams);
        Checks.positive("latencyMillis", latencyMillis);
        Checks.positive("denseLatencyMillis", denseLatencyMillis);
        Checks.positive("latencyRatio", latencyRatio);
    }

    /** The same measurements with other latencies (e.g. to compare two runs without timing noise). */
    public CandidateMetrics withLatency(double latencyMillis, double denseLatencyMillis, double latencyRatio) {
        return new CandidateMetrics(validationAccuracy, sparsity, nonzeroWeights, nonzeroParams, totalParams,
                shrunkShape, shrunkParams, latencyMillis, denseLatencyMillis, latencyRatio);
    }
}
