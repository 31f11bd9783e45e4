package org.topiary.examples.search;

import java.io.Serializable;
import org.topiary.sparsity.internal.Checks;

/**
 * What a trained candidate measured on the validation split.
 *
 * @param validationAccuracy accuracy on the validation split, a fraction in {@code [0, 1]}
 * @param sparsity prunable weights exactly 0.0 over all prunable weights
 * @param nonzeroWeights prunable weights that are not 0.0
 * @param nonzeroParams parameters of any kind (weights and biases) that are not 0.0
 * @param totalParams all parameters of the network
 */
public record CandidateMetrics(
        double validationAccuracy,
        double sparsity,
        long nonzeroWeights,
        long nonzeroParams,
        long totalParams)
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
    }
}
