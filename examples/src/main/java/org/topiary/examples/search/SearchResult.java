package org.topiary.examples.search;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every candidate of a search, in index order, and the best one.
 *
 * @param candidates one record per candidate that ran (completed or failed), by index
 * @param constraint the constraint scores were computed with
 * @param generator the generator used
 * @param budget the budget
 * @param wallTime wall time of the whole search
 */
public record SearchResult(
        List<CandidateRecord> candidates,
        SearchConstraint constraint,
        GeneratorKind generator,
        Budget budget,
        Duration wallTime) {

    /** Sorts and copies the records. */
    public SearchResult {
        candidates = candidates.stream().sorted(Comparator.comparingInt(CandidateRecord::index)).toList();
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(wallTime, "wallTime");
    }

    /**
     * The completed candidate with the highest score (a feasible one whenever any is feasible);
     * ties go to the lower index.
     */
    public Optional<CandidateRecord> best() {
        return candidates.stream()
                .filter(c -> c.status() == CandidateRecord.Status.COMPLETE)
                .max(Comparator.comparingDouble(CandidateRecord::score)
                        .thenComparing(Comparator.comparingInt(CandidateRecord::index).reversed()));
    }

    /** Number of failed candidates. */
    public long failed() {
        return candidates.stream().filter(c -> c.status() == CandidateRecord.Status.FAILED).count();
    }

    /**
     * The completed candidates no other completed candidate dominates in (validation accuracy,
     * sparsity): none has both at least the same accuracy and at least the same sparsity with
     * one of them strictly higher. Sorted by sparsity.
     */
    public List<CandidateRecord> paretoFront() {
        return paretoFront(TradeOff.SPARSITY);
    }

    /**
     * The completed candidates no other completed candidate dominates in (validation accuracy,
     * {@code tradeOff}): none is at least as good on both with one of them strictly better.
     * Sorted by the trade-off's value, ascending.
     */
    public List<CandidateRecord> paretoFront(TradeOff tradeOff) {
        List<CandidateRecord> done = candidates.stream()
                .filter(c -> c.status() == CandidateRecord.Status.COMPLETE).toList();
        return done.stream()
                .filter(c -> done.stream().noneMatch(o -> dominates(o, c, tradeOff)))
                .sorted(Comparator.comparingDouble(c -> tradeOff.value(c.metrics().orElseThrow())))
                .toList();
    }

    private static boolean dominates(CandidateRecord a, CandidateRecord b, TradeOff tradeOff) {
        CandidateMetrics x = a.metrics().orElseThrow();
        CandidateMetrics y = b.metrics().orElseThrow();
        double ax = x.validationAccuracy();
        double ay = y.validationAccuracy();
        double mx = tradeOff.merit(x);
        double my = tradeOff.merit(y);
        return ax >= ay && mx >= my && (ax > ay || mx > my);
    }
}
