package org.topiary.examples.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.junit.jupiter.api.Test;

/** Budget, constraint, parameter space and generators, without training. */
class SearchPartsTest {

    @Test
    void budget_parsesCountsAndDurations() {
        assertThat(Budget.parse("12")).isEqualTo(Budget.candidates(12));
        assertThat(Budget.parse("30m")).isEqualTo(Budget.duration(Duration.ofMinutes(30)));
        assertThat(Budget.parse("90s").duration()).contains(Duration.ofSeconds(90));
        assertThat(Budget.parse("2h").duration()).contains(Duration.ofHours(2));
        assertThatThrownBy(() -> Budget.parse("0")).hasMessageContaining("candidates");
        assertThatThrownBy(() -> Budget.parse("ten")).hasMessageContaining("e.g. 90s, 30m, 2h");
    }

    static CandidateMetrics metrics(double acc, double sparsity, long nonzeroParams) {
        return metrics(acc, sparsity, nonzeroParams, 2.0, 1.0);
    }

    /** Metrics with a shrunk latency of {@code latencyMs} and the ratio {@code ratio} to the full-size network. */
    static CandidateMetrics metrics(double acc, double sparsity, long nonzeroParams, double latencyMs, double ratio) {
        return new CandidateMetrics(acc, sparsity, 1000, nonzeroParams, 266_610, "784-300-100-10", 266_610, latencyMs,
                latencyMs / ratio, ratio);
    }

    @Test
    void constraint_ranksEveryFeasibleCandidateAboveEveryInfeasibleOne() {
        SearchConstraint c = SearchConstraint.minSparsity(0.9).withMaxNonzeroParams(30_000);
        double feasibleLow = c.score(metrics(0.10, 0.95, 20_000));
        double infeasibleHigh = c.score(metrics(0.99, 0.89, 20_000));
        double tooManyParams = c.score(metrics(0.99, 0.95, 40_000));
        assertThat(feasibleLow).isEqualTo(0.10);
        assertThat(infeasibleHigh).isLessThan(feasibleLow).isCloseTo(0.99 - 1 - 0.01, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(tooManyParams).isLessThan(0);
        assertThat(c.score(metrics(0.5, 0.85, 20_000))).isLessThan(infeasibleHigh);
        assertThat(c.minimize()).isFalse();
        assertThatThrownBy(() -> c.score("model", (org.deeplearning4j.arbiter.optimize.api.data.DataProvider) null, null)).hasMessageContaining("CandidateMetrics");
    }

    @Test
    void candidateSpace_hasTenLeavesAndMapsTheCornersToTheRanges() {
        SearchSpace space = SearchSpace.defaults(true);
        CandidateSpace ps = space.parameterSpace();
        CandidateGenerator g = GeneratorKind.RANDOM.create(space, SearchConstraint.none(), 1, 3);
        assertThat(ps.collectLeaves()).hasSize(10);
        assertThat(g.getParameterSpace().numParameters()).isEqualTo(10);
        CandidateSettings low = (CandidateSettings) g.getParameterSpace().getValue(new double[10]);
        assertThat(low.finalSparsity()).isEqualTo(0.90);
        assertThat(low.frequency()).isEqualTo(50);
        assertThat(low.allocation()).isEqualTo(AllocationMode.LAYER);
        double[] ones = new double[10];
        java.util.Arrays.fill(ones, 1.0);
        CandidateSettings high = (CandidateSettings) g.getParameterSpace().getValue(ones);
        assertThat(high.finalSparsity()).isEqualTo(0.95);
        assertThat(high.l1()).isEqualTo(L1Mode.PROXIMAL);
        assertThat(high.l1Strength()).isCloseTo(1e-2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(high.distill()).isTrue();
        assertThat(high.temperature()).isEqualTo(4.0);
    }

    @Test
    void candidateSpaceWithBothPatterns_hasAPatternLeaf_andNeuronCandidatesAllocateByLayer() {
        SearchSpace space = SearchSpace.defaults(false).withPatterns(List.of(PatternMode.UNSTRUCTURED, PatternMode.NEURONS));
        CandidateSpace ps = space.parameterSpace();
        CandidateGenerator g = GeneratorKind.RANDOM.create(space, SearchConstraint.none(), 1, 3);
        assertThat(ps.collectLeaves()).hasSize(10); // defaults(false): distillation fixed off, plus the pattern
        int n = g.getParameterSpace().numParameters();
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        CandidateSettings high = (CandidateSettings) g.getParameterSpace().getValue(ones);
        assertThat(high.pattern()).isEqualTo(PatternMode.NEURONS);
        assertThat(high.allocation()).isEqualTo(AllocationMode.LAYER); // global (the last choice) normalised
        CandidateSettings low = (CandidateSettings) g.getParameterSpace().getValue(new double[n]);
        assertThat(low.pattern()).isEqualTo(PatternMode.UNSTRUCTURED);
        assertThat(space.describe()).contains("pattern: unstructured, neurons (neurons: layer allocation)");
        assertThatThrownBy(() -> space.withPatterns(List.of())).hasMessage("patterns must hold at least one value, found []");
    }

    @Test
    void randomGenerator_isRepeatableForASeed() {
        assertThat(draw(GeneratorKind.RANDOM, 7, 5)).isEqualTo(draw(GeneratorKind.RANDOM, 7, 5));
        assertThat(draw(GeneratorKind.RANDOM, 7, 5)).isNotEqualTo(draw(GeneratorKind.RANDOM, 8, 5));
    }

    @Test
    void gridGenerator_enumeratesEveryPointOnce() {
        SearchSpace space = twoByTwo();
        CandidateGenerator g = GeneratorKind.GRID.create(space, SearchConstraint.none(), 1, 2);
        Set<CandidateSettings> seen = new HashSet<>();
        while (g.hasMoreCandidates()) {
            seen.add((CandidateSettings) g.getCandidate().getValue());
        }
        assertThat(seen).hasSize(4);
        assertThat(seen).extracting(CandidateSettings::finalSparsity).containsOnly(0.5, 0.8);
        assertThat(seen).extracting(CandidateSettings::allocation).containsOnly(AllocationMode.LAYER, AllocationMode.GLOBAL);
    }

    @Test
    void geneticGenerator_producesValidSettings() {
        List<CandidateSettings> drawn = draw(GeneratorKind.GENETIC, 3, 6);
        assertThat(drawn).hasSize(6).doesNotContainNull();
    }

    static SearchSpace twoByTwo() {
        return new SearchSpace(new SearchSpace.Range(0.5, 0.8), SearchSpace.Range.fixed(0.0),
                SearchSpace.Range.fixed(0.8), List.of(10L), List.of(AllocationMode.LAYER, AllocationMode.GLOBAL),
                List.of(L1Mode.NONE), SearchSpace.Range.fixed(1e-4), List.of(false), SearchSpace.Range.fixed(1.0),
                SearchSpace.Range.fixed(0.5), List.of(PatternMode.UNSTRUCTURED));
    }

    private static List<CandidateSettings> draw(GeneratorKind kind, long seed, int n) {
        CandidateGenerator g = kind.create(SearchSpace.defaults(true), SearchConstraint.none(), seed, 3);
        List<CandidateSettings> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Candidate<?> c = g.getCandidate();
            assertThat(c.getException()).isNull();
            out.add((CandidateSettings) c.getValue());
        }
        return out;
    }

    @Test
    void latencyParetoFront_prefersLowerRatios_andSortsByRatio() {
        CandidateSettings s = CandidateSettings.fmnistGmp();
        List<CandidateRecord> rs = List.of(
                CandidateRecord.completed(0, s, metrics(0.88, 0.90, 1, 2.0, 0.9), 0.88, 1),
                CandidateRecord.completed(1, s, metrics(0.86, 0.95, 1, 1.0, 0.4), 0.86, 1),
                CandidateRecord.completed(2, s, metrics(0.85, 0.97, 1, 1.5, 0.6), 0.85, 1),
                CandidateRecord.completed(3, s, metrics(0.80, 0.50, 1, 0.5, 0.2), 0.80, 1));
        SearchResult r = new SearchResult(rs, SearchConstraint.none(), GeneratorKind.RANDOM,
                Budget.candidates(4), Duration.ofSeconds(4));
        // #2 is slower and less accurate than #1; #3 is the fastest, #0 the most accurate
        assertThat(r.paretoFront(TradeOff.LATENCY_RATIO)).extracting(CandidateRecord::index).containsExactly(3, 1, 0);
        assertThat(r.paretoFront(TradeOff.SPARSITY)).extracting(CandidateRecord::index).containsExactly(0, 1, 2);
        assertThat(TradeOff.LATENCY_RATIO.higherIsBetter()).isFalse();
        assertThat(TradeOff.SPARSITY.value(rs.get(2).metrics().orElseThrow())).isCloseTo(97.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void paretoFront_keepsOnlyUndominatedCandidates() {
        CandidateSettings s = CandidateSettings.fmnistGmp();
        List<CandidateRecord> rs = List.of(
                CandidateRecord.completed(0, s, metrics(0.88, 0.90, 1), 0.88, 1),
                CandidateRecord.completed(1, s, metrics(0.87, 0.90, 1), 0.87, 1),
                CandidateRecord.completed(2, s, metrics(0.86, 0.95, 1), 0.86, 1),
                CandidateRecord.failed(3, s, 1, "boom"));
        SearchResult r = new SearchResult(rs, SearchConstraint.minSparsity(0.9), GeneratorKind.RANDOM,
                Budget.candidates(4), Duration.ofSeconds(4));
        assertThat(r.paretoFront()).extracting(CandidateRecord::index).containsExactly(0, 2);
        assertThat(r.best()).map(CandidateRecord::index).isEqualTo(Optional.of(0));
        assertThat(r.paretoFront(TradeOff.LATENCY_RATIO)).as("equal latency ratios: accuracy decides")
                .extracting(CandidateRecord::index).containsExactly(0);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(SearchReport.markdown(r)).contains("| 0 **best** |", "FAILED: boom");
    }

    @Test
    void sensitivityAllocationBeyond_meetsTheTargetAndKeepsNoMoreThanTheSurvivors() {
        double[] fractions = {0.5, 0.9};
        java.util.Map<String, Long> sizes = java.util.Map.of("a", 1000L, "b", 500L);
        SensitivityAllocation allocation = SensitivityAllocation.beyond(List.of(
                new org.topiary.sparsity.auto.SensitivityCurve("a", 200, fractions, new double[] {0.79, 0.60}, 0.80),
                new org.topiary.sparsity.auto.SensitivityCurve("b", 100, fractions, new double[] {0.70, 0.50}, 0.80)), sizes);
        java.util.Map<String, Double> sparsities = allocation.allocate(0.9);
        long pruned = 0;
        for (var e : sparsities.entrySet()) {
            long c = org.topiary.sparsity.MaskStrategy.countFor(e.getValue(), sizes.get(e.getKey()));
            pruned += c;
            assertThat(sizes.get(e.getKey()) - c).as("kept of %s", e.getKey()).isLessThanOrEqualTo(e.getKey().equals("a") ? 200 : 100);
        }
        assertThat(pruned).isEqualTo(1350);
        assertThatThrownBy(() -> allocation.allocate(0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
