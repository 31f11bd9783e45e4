package org.topiary.examples.search;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.topiary.sparsity.internal.Checks;

/**
 * The search objective: validation accuracy subject to a constraint, as an Arbiter {@link
 * ScoreFunction} (maximised). The "model" Arbiter passes to {@link #score(Object, DataProvider,
 * Map)} is the candidate's {@link CandidateMetrics}; the score is
 *
 * <pre>
 *   score = acc                          if sparsity ≥ minSparsity and nonzeroParams ≤ maxNonzeroParams
 *         = acc − 1 − violation          otherwise
 *   violation = max(0, minSparsity − sparsity) + max(0, nonzeroParams − maxNonzeroParams) / maxNonzeroParams
 * </pre>
 *
 * so every feasible candidate (score in [0, 1]) beats every infeasible one (score &lt; 0), and among
 * infeasible ones the nearer to feasible ranks higher (which lets the genetic generator move
 * towards the feasible region). A shrunk-model latency bound is not offered: it needs the
 * structural surgery of another branch.
 *
 * @param minSparsity minimum fraction of pruned weights, in {@code [0, 1)} (0: no bound)
 * @param maxNonzeroParams maximum parameters (weights and biases) that are not zero, {@code >= 1}
 *     ({@link Long#MAX_VALUE}: no bound)
 */
public record SearchConstraint(double minSparsity, long maxNonzeroParams)
        implements ScoreFunction, Serializable {

    /** Validates the bounds. */
    public SearchConstraint {
        Checks.inHalfOpenRange("minSparsity", minSparsity, 0.0, 1.0);
        Checks.positive("maxNonzeroParams", maxNonzeroParams);
    }

    /** Only a minimum sparsity. */
    public static SearchConstraint minSparsity(double minSparsity) {
        return new SearchConstraint(minSparsity, Long.MAX_VALUE);
    }

    /** No constraint: the score is the validation accuracy. */
    public static SearchConstraint none() {
        return new SearchConstraint(0.0, Long.MAX_VALUE);
    }

    /** Whether a candidate meets the constraint. */
    public boolean isFeasible(CandidateMetrics m) {
        return violation(m) == 0.0;
    }

    /** How far a candidate is from the feasible region (0 when feasible). */
    public double violation(CandidateMetrics m) {
        double v = Math.max(0.0, minSparsity - m.sparsity());
        if (maxNonzeroParams != Long.MAX_VALUE && m.nonzeroParams() > maxNonzeroParams) {
            v += (m.nonzeroParams() - maxNonzeroParams) / (double) maxNonzeroParams;
        }
        return v;
    }

    /** The constrained score of a candidate (see the class documentation). */
    public double score(CandidateMetrics m) {
        double v = violation(m);
        return v == 0.0 ? m.validationAccuracy() : m.validationAccuracy() - 1.0 - v;
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return score(metrics(model));
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return score(metrics(model));
    }

    private static CandidateMetrics metrics(Object model) {
        if (model instanceof CandidateMetrics m) {
            return m;
        }
        throw new IllegalArgumentException(
                "SearchConstraint scores the CandidateMetrics of a trained candidate, found "
                        + (model == null ? "null" : model.getClass().getName()));
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(CandidateMetrics.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }

    /** E.g. {@code sparsity >= 0.90} or {@code sparsity >= 0.90, non-zero params <= 30000}. */
    public String describe() {
        String s = String.format(Locale.ROOT, "sparsity >= %.2f", minSparsity);
        return maxNonzeroParams == Long.MAX_VALUE ? s : s + ", non-zero params <= " + maxNonzeroParams;
    }
}
