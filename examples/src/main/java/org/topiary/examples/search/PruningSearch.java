package org.topiary.examples.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.internal.Checks;

/**
 * A search over pruning, L1 and distillation settings with Arbiter: a generator ({@link
 * GeneratorKind}) proposes {@link CandidateSettings} from a {@link SearchSpace}, Arbiter's {@code
 * LocalOptimizationRunner} trains them on {@code threads} threads ({@link PruningTaskCreator}),
 * each is scored on the validation data by a {@link SearchConstraint}, and the search stops at
 * the {@link Budget}.
 *
 * <pre>{@code
 * TrainValidationSplit split = FashionMnist.load(null).split(0.1, 1);
 * SearchResult r = PruningSearch.builder()
 *         .setTraining(new CandidateTraining(TrainOptions.of(10, 1), NetworkFactory.lenet300100(),
 *                 Optional.empty(), LayerAllocator.unavailable()))
 *         .setData(ValidationData.of(split, "fashion-mnist"))
 *         .setSpace(SearchSpace.defaults(false))
 *         .optConstraint(SearchConstraint.minSparsity(0.9))
 *         .optBudget(Budget.candidates(12))
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>Every candidate trains with the same seed, so candidates differ only by their settings;
 * a candidate's result does not depend on how many run at the same time.
 */
public final class PruningSearch {

    private final CandidateTraining training;
    private final TrainingData data;
    private final SearchSpace space;
    private final GeneratorKind generator;
    private final Budget budget;
    private final SearchConstraint constraint;
    private final int threads;
    private final long seed;
    private final int gridPoints;
    private final SearchProgress progress;

    private PruningSearch(Builder b) {
        this.training = Checks.notNull("training", b.training);
        this.data = Checks.notNull("data", b.data);
        this.space = Checks.notNull("space", b.space);
        this.generator = b.generator;
        this.budget = b.budget;
        this.constraint = b.constraint;
        this.threads = (int) Checks.positive("threads", b.threads);
        this.seed = b.seed;
        Checks.isTrue(b.gridPoints >= 2, "gridPoints must be >= 2, found %d", b.gridPoints);
        this.gridPoints = b.gridPoints;
        this.progress = b.progress;
    }

    /** A builder; {@code setTraining}, {@code setData} and {@code setSpace} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the search to its budget.
     *
     * @return every candidate's record
     */
    public SearchResult run() {
        long start = System.nanoTime();
        Map<Integer, CandidateRecord> records = new ConcurrentHashMap<>();
        CandidateGenerator base = generator.create(space, constraint, seed, gridPoints);
        CandidateGenerator gen = budget.candidates().<CandidateGenerator>map(n -> new BudgetedGenerator(base, n))
                .orElse(base);
        List<TerminationCondition> stop = new ArrayList<>();
        stop.add(new GeneratorExhausted(gen));
        budget.candidates().ifPresent(n -> stop.add(new MaxCandidatesCondition(n)));
        budget.duration().ifPresent(d -> stop.add(new MaxTimeCondition(d.toMillis(), TimeUnit.MILLISECONDS)));
        OptimizationConfiguration config =
                new OptimizationConfiguration.Builder()
                        .candidateGenerator(gen)
                        .dataProvider(new NoDataProvider())
                        .scoreFunction(constraint)
                        .terminationConditions(stop)
                        .rngSeed(seed)
                        .build();
        PruningTaskCreator tasks = new PruningTaskCreator(training, data, r -> records.put(r.index(), r), progress);
        LocalOptimizationRunner runner = new LocalOptimizationRunner(threads, config, tasks);
        runner.execute();
        return new SearchResult(new ArrayList<>(records.values()), constraint, generator, budget,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The data travel with the task creator (a {@link ValidationData}); Arbiter's runner only
     * needs a non-null provider to pass along.
     */
    private static final class NoDataProvider implements DataProvider {
        private static final long serialVersionUID = 1L;

        @Override
        public Object trainData(Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("PruningTaskCreator reads its own ValidationData");
        }

        @Override
        public Object testData(Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("PruningTaskCreator reads its own ValidationData");
        }

        @Override
        public Class<?> getDataType() {
            return TrainingData.class;
        }
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private CandidateTraining training;
        private TrainingData data;
        private SearchSpace space;
        private GeneratorKind generator = GeneratorKind.RANDOM;
        private Budget budget = Budget.candidates(12);
        private SearchConstraint constraint = SearchConstraint.none();
        private long threads = 1;
        private long seed = 1;
        private int gridPoints = 3;
        private SearchProgress progress = SearchProgress.none();

        private Builder() {}

        /** How every candidate is trained (epochs, seed, network, teacher, allocator). */
        public Builder setTraining(CandidateTraining training) {
            this.training = training;
            return this;
        }

        /** Training split and validation split ({@link ValidationData}); never the test set. */
        public Builder setData(TrainingData data) {
            this.data = data;
            return this;
        }

        /** The ranges to search. */
        public Builder setSpace(SearchSpace space) {
            this.space = space;
            return this;
        }

        /** Random (default), grid or genetic. */
        public Builder optGenerator(GeneratorKind generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** When to stop (default 12 candidates). */
        public Builder optBudget(Budget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** The constraint of the score (default none: validation accuracy). */
        public Builder optConstraint(SearchConstraint constraint) {
            this.constraint = Objects.requireNonNull(constraint, "constraint");
            return this;
        }

        /** Candidates trained at the same time (default 1). */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Seed of the generator (default 1); the training seed is in {@link CandidateTraining}. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Values per continuous range of the grid generator (default 3). */
        public Builder optGridPoints(int gridPoints) {
            this.gridPoints = gridPoints;
            return this;
        }

        /** Where to report each candidate's start and end. */
        public Builder optProgress(SearchProgress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Validates and builds. */
        public PruningSearch build() {
            return new PruningSearch(this);
        }
    }
}
