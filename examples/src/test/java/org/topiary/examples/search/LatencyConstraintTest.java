package org.topiary.examples.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.topiary.examples.search.SearchPartsTest.metrics;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The latency terms of {@link SearchConstraint}, and validation of the latency values, with hand numbers. */
class LatencyConstraintTest {

    private static final Offset<Double> EXACT = Offset.offset(1e-12);

    /** sparsity ≥ 0.9, shrunk latency ≤ 2 ms, shrunk / full-size ≤ 0.5. */
    private static final SearchConstraint BOTH =
            SearchConstraint.minSparsity(0.9).withMaxLatencyMillis(2.0).withMaxLatencyRatio(0.5);

    @Test
    void latencyBounds_rankFeasibleAboveInfeasible_andNearerInfeasibleAboveFarther() {
        CandidateMetrics feasible = metrics(0.80, 0.92, 20_000, 1.5, 0.4);
        CandidateMetrics slowMs = metrics(0.95, 0.92, 20_000, 2.5, 0.4); // (2.5 − 2) / 2 = 0.25
        CandidateMetrics slowRatio = metrics(0.95, 0.92, 20_000, 1.5, 0.6); // (0.6 − 0.5) / 0.5 = 0.2
        CandidateMetrics allOver = metrics(0.95, 0.88, 20_000, 3.0, 0.75); // 0.02 + 0.5 + 0.5 = 1.02

        assertThat(BOTH.violation(feasible)).isZero();
        assertThat(BOTH.violation(slowMs)).isCloseTo(0.25, EXACT);
        assertThat(BOTH.violation(slowRatio)).isCloseTo(0.2, EXACT);
        assertThat(BOTH.violation(allOver)).isCloseTo(1.02, EXACT);

        assertThat(BOTH.score(feasible)).isEqualTo(0.80);
        assertThat(BOTH.score(slowRatio)).isCloseTo(0.95 - 1 - 0.2, EXACT);
        assertThat(BOTH.score(slowMs)).isCloseTo(0.95 - 1 - 0.25, EXACT);
        assertThat(BOTH.score(allOver)).isCloseTo(0.95 - 1 - 1.02, EXACT);
        assertThat(BOTH.score(feasible))
                .isGreaterThan(BOTH.score(slowRatio))
                .isGreaterThan(BOTH.score(slowMs))
                .isGreaterThan(BOTH.score(allOver));
        assertThat(BOTH.isFeasible(feasible)).isTrue();
        assertThat(BOTH.isFeasible(slowMs)).isFalse();
    }

    @Test
    void latencyExactlyAtTheBound_isFeasible() {
        assertThat(BOTH.isFeasible(metrics(0.5, 0.9, 1, 2.0, 0.5))).isTrue();
    }

    @Test
    void ratioBoundAlone_ignoresMilliseconds_andMillisecondBoundAlone_ignoresTheRatio() {
        CandidateMetrics slowMachine = metrics(0.7, 0.0, 1, 100.0, 0.3);
        CandidateMetrics notShrunk = metrics(0.7, 0.0, 1, 0.5, 1.0);
        assertThat(SearchConstraint.none().withMaxLatencyRatio(0.5).isFeasible(slowMachine)).isTrue();
        assertThat(SearchConstraint.none().withMaxLatencyRatio(0.5).violation(notShrunk)).isCloseTo(1.0, EXACT);
        assertThat(SearchConstraint.none().withMaxLatencyMillis(1.0).isFeasible(notShrunk)).isTrue();
        assertThat(SearchConstraint.none().withMaxLatencyMillis(1.0).violation(slowMachine)).isCloseTo(99.0, EXACT);
    }

    @Test
    void noLatencyBound_keepsTheOldScores() {
        CandidateMetrics m = metrics(0.9, 0.85, 40_000, 50.0, 1.2);
        SearchConstraint old = SearchConstraint.minSparsity(0.9).withMaxNonzeroParams(30_000);
        assertThat(old.boundsLatency()).isFalse();
        assertThat(old.score(m)).isCloseTo(0.9 - 1 - (0.05 + 10_000 / 30_000.0), EXACT);
        assertThat(BOTH.boundsLatency()).isTrue();
    }

    @Test
    void describe_listsTheLatencyBounds() {
        assertThat(BOTH.describe()).isEqualTo("sparsity >= 0.90, latency <= 2.0 ms, latency ratio <= 0.5");
        assertThat(SearchConstraint.minSparsity(0.9).describe()).isEqualTo("sparsity >= 0.90");
    }

    @Test
    void negativeZeroOrNanLatencyBounds_nameTheField() {
        SearchConstraint c = SearchConstraint.none();
        assertThatThrownBy(() -> c.withMaxLatencyMillis(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLatencyMillis must be > 0 (or infinity for no bound), found -1.0");
        assertThatThrownBy(() -> c.withMaxLatencyMillis(Double.NaN)).hasMessageContaining("maxLatencyMillis").hasMessageEndingWith("found NaN");
        assertThatThrownBy(() -> c.withMaxLatencyRatio(0)).hasMessageStartingWith("maxLatencyRatio must be > 0");
        assertThatThrownBy(() -> c.withMaxLatencyRatio(Double.NaN)).hasMessageContaining("maxLatencyRatio").hasMessageEndingWith("found NaN");
        assertThat(c.withMaxLatencyRatio(Double.POSITIVE_INFINITY)).isEqualTo(c);
    }

    @Test
    void badMeasuredLatencies_nameTheField() {
        assertThatThrownBy(() -> new CandidateMetrics(0.5, 0.5, 1, 1, 10, "4-2", 6, Double.NaN, 1, 1))
                .hasMessage("latencyMillis must be > 0 and finite, found NaN");
        assertThatThrownBy(() -> new CandidateMetrics(0.5, 0.5, 1, 1, 10, "4-2", 6, 1, -2, 1))
                .hasMessageStartingWith("denseLatencyMillis must be > 0");
        assertThatThrownBy(() -> new CandidateMetrics(0.5, 0.5, 1, 1, 10, "4-2", 6, 1, 1, 0))
                .hasMessageStartingWith("latencyRatio must be > 0");
        assertThatThrownBy(() -> new CandidateMetrics(0.5, 0.5, 1, 1, 10, "4-2", 11, 1, 1, 1))
                .hasMessage("shrunkParams (11) must be <= totalParams (10)");
    }

    @Test
    void badProbeSettings_nameTheField() {
        assertThatThrownBy(() -> new LatencyProbe(0, 5, 5, 50)).hasMessage("batch must be > 0, found 0");
        assertThatThrownBy(() -> new LatencyProbe(256, -1, 5, 50)).hasMessage("warmUpCalls must be >= 0, found -1");
        assertThatThrownBy(() -> new LatencyProbe(256, 5, 4, 50)).hasMessageStartingWith("rounds must be odd");
        assertThatThrownBy(() -> new LatencyProbe(256, 5, 5, Double.NaN)).hasMessage("blockMillis must be > 0 and finite, found NaN");
        assertThat(LatencyProbe.defaults()).isEqualTo(new LatencyProbe(256, 5, 5, 50.0));
    }
}
