package org.topiary.examples.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.topiary.distill.TeacherSource;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.examples.train.TrainOptions;

/** Searches of 1-epoch candidates (7 steps each) on a slice of the embedded subset. */
@Timeout(300)
class PruningSearchTest {

    static ValidationData data;

    static TrainValidationSplit split;

    /** 800 training and 7,200 validation images of the embedded subset's training part. */
    @BeforeAll
    static void loadData() {
        split = FashionMnist.embedded().split(0.2, 7).train().stratifiedSplit(0.9, 3);
        data = ValidationData.of(split, "embedded");
    }

    static SearchSpace smallSpace() {
        return SearchSpace.defaults(false)
                .withSparsity(new SearchSpace.Range(0.5, 0.9))
                .withFrequencies(List.of(10L, 20L));
    }

    /** Times candidates briefly: these tests check the search, not the timing. */
    static final LatencyProbe QUICK_PROBE = new LatencyProbe(64, 1, 1, 2.0);

    static CandidateTraining training(NetworkFactory nets) {
        return new CandidateTraining(TrainOptions.of(1, 3), nets, Optional.empty(), LayerAllocator.unavailable())
                .withLatencyProbe(QUICK_PROBE);
    }

    @Test
    void threeCandidateRandomSearch_recordsEveryCandidate() {
        SearchResult r = PruningSearch.builder()
                .setTraining(training(NetworkFactory.lenet300100()))
                .setData(data)
                .setSpace(smallSpace())
                .optBudget(Budget.candidates(3))
                .optConstraint(SearchConstraint.minSparsity(0.6))
                .build()
                .run();
        assertThat(r.candidates()).hasSize(3);
        assertThat(r.candidates()).allMatch(c -> c.status() == CandidateRecord.Status.COMPLETE);
        assertThat(r.candidates()).extracting(CandidateRecord::index).containsExactly(0, 1, 2);
        for (CandidateRecord c : r.candidates()) {
            CandidateMetrics m = c.metrics().orElseThrow();
            assertThat(m.sparsity()).isCloseTo(c.settings().finalSparsity(), org.assertj.core.data.Offset.offset(0.01));
            assertThat(m.validationAccuracy()).isGreaterThan(0.3); // chance is 0.1
        }
        assertThat(r.best()).isPresent();
    }

    @Test
    void divergingCandidate_isRecordedAsFailed_andSearchContinues() {
        AtomicInteger calls = new AtomicInteger();
        NetworkFactory nets = (seed, regs) -> calls.getAndIncrement() == 1
                ? diverging(seed)
                : SearchNets.lenet300100(seed, regs);
        SearchResult r = PruningSearch.builder()
                .setTraining(training(nets))
                .setData(data)
                .setSpace(smallSpace())
                .optBudget(Budget.candidates(3))
                .build()
                .run();
        assertThat(r.candidates()).hasSize(3);
        assertThat(r.candidates().get(1).status()).isEqualTo(CandidateRecord.Status.FAILED);
        assertThat(r.candidates().get(1).error().orElseThrow()).contains("diverged");
        assertThat(r.candidates().get(0).status()).isEqualTo(CandidateRecord.Status.COMPLETE);
        assertThat(r.candidates().get(2).status()).isEqualTo(CandidateRecord.Status.COMPLETE);
        assertThat(r.failed()).isEqualTo(1);
    }

    /** A network whose weights overflow in the first steps: identity layers, SGD with lr 1e12. */
    static MultiLayerNetwork diverging(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new Sgd(1e12))
                .list()
                .layer(new DenseLayer.Builder().name("fc1").nOut(300).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(100).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).name("out").nOut(10).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(784))
                .build());
        net.init();
        return net;
    }

    @Test
    void twoConcurrentCandidates_matchSequentialOnes() {
        SearchResult sequential = search(1);
        SearchResult concurrent = search(2);
        assertThat(concurrent.candidates()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            CandidateRecord a = sequential.candidates().get(i);
            CandidateRecord b = concurrent.candidates().get(i);
            assertThat(b.settings()).isEqualTo(a.settings());
            // everything but the timings, which are measured anew
            assertThat(b.metrics().orElseThrow().withLatency(1, 1, 1)).isEqualTo(a.metrics().orElseThrow().withLatency(1, 1, 1));
            assertThat(b.score()).isEqualTo(a.score());
        }
    }

    @Test
    void gridSmallerThanTheBudget_stopsWhenTheGridIsDone() {
        SearchResult r = PruningSearch.builder()
                .setTraining(training(NetworkFactory.lenet300100()))
                .setData(data)
                .setSpace(SearchPartsTest.twoByTwo())
                .optGenerator(GeneratorKind.GRID)
                .optGridPoints(2)
                .optBudget(Budget.candidates(12))
                .build()
                .run();
        assertThat(r.candidates()).hasSize(4).allMatch(c -> c.status() == CandidateRecord.Status.COMPLETE);
        assertThat(r.candidates()).extracting(c -> c.settings().finalSparsity()).containsOnly(0.5, 0.8);
    }

    @Test
    void wallTimeBudget_stopsStartingCandidates() {
        SearchResult r = PruningSearch.builder()
                .setTraining(training(NetworkFactory.lenet300100()))
                .setData(data)
                .setSpace(smallSpace())
                .optBudget(Budget.duration(java.time.Duration.ofMillis(1)))
                .build()
                .run();
        assertThat(r.candidates()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void sensitivityCandidate_prunesTheAllocatedCountsAndMeetsTheTargetOverall() {
        // Synthetic curves: fc1 tolerates pruning best, the output layer worst.
        double[] grid = {0.5, 0.9, 0.98};
        SensitivityAllocation allocation = SensitivityAllocation.of(List.of(
                new org.topiary.sparsity.auto.SensitivityCurve("0_W", 784 * 300, grid, new double[] {0.80, 0.79, 0.70}, 0.80),
                new org.topiary.sparsity.auto.SensitivityCurve("1_W", 300 * 100, grid, new double[] {0.80, 0.70, 0.50}, 0.80),
                new org.topiary.sparsity.auto.SensitivityCurve("2_W", 100 * 10, grid, new double[] {0.70, 0.40, 0.20}, 0.80)));
        SearchSpace space = SearchPartsTest.twoByTwo()
                .withSparsity(SearchSpace.Range.fixed(0.9))
                .withAllocations(List.of(AllocationMode.SENSITIVITY));
        SearchResult r = PruningSearch.builder()
                .setTraining(new CandidateTraining(TrainOptions.of(1, 3), NetworkFactory.lenet300100(), Optional.empty(), allocation)
                        .withLatencyProbe(QUICK_PROBE))
                .setData(data)
                .setSpace(space)
                .optGenerator(GeneratorKind.GRID)
                .build()
                .run();
        assertThat(r.candidates()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(CandidateRecord.Status.COMPLETE);
            CandidateMetrics m = c.metrics().orElseThrow();
            long weights = 784 * 300 + 300 * 100 + 100 * 10;
            assertThat(weights - m.nonzeroWeights()).isEqualTo(Math.round(0.9 * weights));
        });
        assertThat(allocation.allocate(0.9).get("0_W")).isGreaterThan(allocation.allocate(0.9).get("2_W"));
    }

    @Test
    void distillingCandidate_trainsFromTheCachedTeacher() {
        MultiLayerNetwork teacherNet = SearchNets.lenet300100(11, List.of());
        teacherNet.fit(split.trainIterator(128, 11), 2);
        try (TeacherSource teacher = TeacherSource.cached(TeacherSource.online(teacherNet), split.train().iterator(500))) {
            SearchSpace space = SearchPartsTest.twoByTwo()
                    .withSparsity(SearchSpace.Range.fixed(0.5))
                    .withAllocations(List.of(AllocationMode.GLOBAL))
                    .withDistill(List.of(true));
            SearchResult r = PruningSearch.builder()
                    .setTraining(new CandidateTraining(TrainOptions.of(1, 3), NetworkFactory.lenet300100(),
                            Optional.of(teacher), LayerAllocator.unavailable()).withLatencyProbe(QUICK_PROBE))
                    .setData(data)
                    .setSpace(space)
                    .optGenerator(GeneratorKind.GRID)
                    .build()
                    .run();
            assertThat(r.candidates()).singleElement().satisfies(c -> {
                assertThat(c.status()).as("error: %s", c.error()).isEqualTo(CandidateRecord.Status.COMPLETE);
                assertThat(c.settings().distill()).isTrue();
                assertThat(c.metrics().orElseThrow().validationAccuracy()).isGreaterThan(0.3);
            });
        }
    }

    @Test
    void distillingWithoutATeacher_failsTheCandidateWithAMessage() {
        SearchSpace space = SearchPartsTest.twoByTwo().withSparsity(SearchSpace.Range.fixed(0.5))
                .withAllocations(List.of(AllocationMode.LAYER)).withDistill(List.of(true));
        SearchResult r = PruningSearch.builder()
                .setTraining(training(NetworkFactory.lenet300100()))
                .setData(data)
                .setSpace(space)
                .optGenerator(GeneratorKind.GRID)
                .build()
                .run();
        assertThat(r.candidates()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(CandidateRecord.Status.FAILED);
            assertThat(c.error().orElseThrow()).contains("the search has no teacher");
        });
        assertThat(r.best()).isEmpty();
    }

    private static SearchResult search(int threads) {
        return PruningSearch.builder()
                .setTraining(training(NetworkFactory.lenet300100()))
                .setData(data)
                .setSpace(smallSpace())
                .optBudget(Budget.candidates(2))
                .optThreads(threads)
                .optSeed(5)
                .build()
                .run();
    }
}
