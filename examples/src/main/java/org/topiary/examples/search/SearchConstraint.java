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
 *   score = acc                          if violation = 0 (every bound met)
 *         = acc − 1 − violation          otherwise
 *   violation = max(0, minSparsity − sparsity)
 *             + max(0, nonzeroParams − maxNonzeroParams) / maxNonzeroParams
 *             + max(0, latencyMillis − maxLatencyMillis) / maxLatencyMillis
 *             + max(0, latencyRatio − maxLatencyRatio) / maxLatencyRatio
 * </pre>
 *
 * so every feasible candidate (score in [0, 1]) beats every infeasible one (score &lt; 0), and among
 * infeasible ones the nearer to feasible ranks higher (which lets the genetic generator move
 * towards the feasible region). Each term is a relative excess, so a candidate 10 % over a latency
 * bound is as far from feasible as one 10 % over a parameter bound; an absent bound contributes 0.
 *
 * <p><b>Latency bounds</b> apply to the candidate's shrunk network (surgery removed its dead units;
 * with {@link PatternMode#NEURONS} whole neurons go) as timed by the {@link LatencyProbe}: {@code
 * maxLatencyMillis} bounds the median milliseconds of one forward pass of the probe's batch on this
 * machine under its current load; {@code maxLatencyRatio} bounds the shrunk / full-size latency
 * ratio, measured interleaved with the candidate's own full-size network in the same run, which
 * does not depend on the machine's speed and cancels slowly changing load. Prefer the ratio when
 * the search runs on another machine than the deployment or next to other jobs; use milliseconds
 * for a hard budget on a quiet machine that is the deployment target. Both may be given.
 *
 * @param minSparsity minimum fraction of pruned weights, in {@code [0, 1)} (0: no bound)
 * @param maxNonzeroParams maximum parameters (weights and biases) that are not zero, {@code >= 1}
 *     ({@link Long#MAX_VALUE}: no bound)
 * @param maxLatencyMillis maximum median latency of the shrunk network in milliseconds, {@code > 0}
 *     ({@link Double#POSITIVE_INFINITY}: no bound)
 * @param maxLatencyRatio maximum shrunk / full-size latency ratio, {@code > 0} ({@link
 *     Double#POSITIVE_INFINITY}: no bound)
 */
public record SearchConstraint(double minSparsity, long maxNonzeroParams, double maxLatencyMillis, double maxLatencyRatio)
        implements ScoreFunction, Serializable {

    /** Validates the bounds. */
    public SearchConstraint {
        Checks.inHalfOpenRange("minSparsity", minSparsity, 0.0, 1.0);
        Checks.positive("maxNonzeroParams", maxNonzeroParams);
        positiveOrNone("maxLatencyMillis", maxLatencyMillis);
        positiveOrNone("maxLatencyRatio", maxLatencyRatio);
    }

    private static void positiveOrNone(String field, double value) {
        Checks.isTrue(value > 0, "%s must be > 0 (or infinity for no bound), found %s", field, value);
    }

    /** Only a minimum sparsity. */
    public static SearchConstraint minSparsity(double minSparsity) {
        return new SearchConstraint(minSparsity, Long.MAX_VALUE, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** No constraint: the score is the validation accuracy. */
    public static SearchConstraint none() {
        return minSparsity(0.0);
    }

    /** A copy with a maximum of non-zero params ({@link Long#MAX_VALUE}: none). */
    public SearchConstraint withMaxNonzeroParams(long max) {
        return new SearchConstraint(minSparsity, max, maxLatencyMillis, maxLatencyRatio);
    }

    /** A copy with a maximum shrunk-network latency in milliseconds (infinity: none). */
    public SearchConstraint withMaxLatencyMillis(double max) {
        return new SearchConstraint(minSparsity, maxNonzeroParams, max, maxLatencyRatio);
    }

    /** A copy with a maximum shrunk / full-size latency ratio (infinity: none). */
    public SearchConstraint withMaxLatencyRatio(double max) {
        return new SearchConstraint(minSparsity, maxNonzeroParams, maxLatencyMillis, max);
    }

    /** Whether a latency bound is set. */
    public boolean boundsLatency() {
        return maxLatencyMillis != Double.POSITIVE_INFINITY || maxLatencyRatio != Double.POSITIVE_INFINITY;
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
        if (m.latencyMillis() > maxLatencyMillis) {
            v += (m.latencyMillis() - maxLatencyMillis) / maxLatencyMillis;
        }
        if (m.latencyRatio() > maxLatencyRatio) {
            v += (m.latencyRatio() - maxLatencyRatio) / maxLatencyRatio;
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

    /**
     * E.g. {@code sparsity >= 0.90} or {@code sparsity >= 0.90, non-zero params <= 30000, latency
     * <= 2.5 ms, latency ratio <= 0.5}.
     */
    public String describe() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "sparsity >= %.2f", minSparsity));
        if (maxNonzeroParams != Long.MAX_VALUE) {
            s.append(", non-zero params <= ").append(maxNonzeroParams);
        }
        if (maxLatencyMillis != Double.POSITIVE_INFINITY) {
            s.append(String.format(Locale.ROOT, ", latency <= %s ms", maxLatencyMillis));
        }
        if (maxLatencyRatio != Double.POSITIVE_INFINITY) {
            s.append(String.format(Locale.ROOT, ", latency ratio <= %s", maxLatencyRatio));
        }
        return s.toString();
    }
}
