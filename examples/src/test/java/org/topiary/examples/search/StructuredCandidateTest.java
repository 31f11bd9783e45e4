package org.topiary.examples.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.train.TrainOptions;
import org.topiary.sparsity.dl4j.surgery.ShrunkModel;
import org.topiary.sparsity.dl4j.surgery.SurgeryPlan;

/**
 * Candidates with the neurons pattern: their shrunk networks are smaller and compute the same
 * outputs, and a search with a latency bound records and scores the latency (1-epoch candidates,
 * 7 steps, on a slice of the embedded subset).
 */
@Timeout(300)
class StructuredCandidateTest {

    static ValidationData data;

    @BeforeAll
    static void loadData() {
        data = ValidationData.of(FashionMnist.embedded().split(0.2, 7).train().stratifiedSplit(0.9, 3), "embedded");
    }

    /** 800 images, batch 128: 7 steps; pruning from step 0 to 6, masks every 2 steps. */
    private static CandidateSettings settings(double sparsity, PatternMode pattern) {
        return CandidateSettings.of(sparsity, 0.0, 0.8, 2, AllocationMode.LAYER, L1Mode.NONE, 0, false, 1, 1)
                .withPattern(pattern);
    }

    private static CandidateTraining training(LatencyProbe probe) {
        return new CandidateTraining(TrainOptions.of(1, 3), NetworkFactory.lenet300100(), Optional.empty(),
                LayerAllocator.unavailable()).withLatencyProbe(probe);
    }

    private static long zeroColumns(INDArray w) {
        long n = 0;
        for (int j = 0; j < w.columns(); j++) {
            if (w.getColumn(j).amaxNumber().doubleValue() == 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void neuronsCandidate_shrinksToFewerParams_withTheMaskedNetworksOutputs() {
        CandidateTraining t = training(PruningSearchTest.QUICK_PROBE);
        MultiLayerNetwork masked = t.train(settings(0.5, PatternMode.NEURONS), data);
        assertThat(zeroColumns(masked.getParam("0_W"))).isEqualTo(150);
        assertThat(zeroColumns(masked.getParam("1_W"))).isEqualTo(50);

        ShrunkModel shrunk = SurgeryPlan.of(masked).apply();
        MultiLayerNetwork small = shrunk.network();
        long expected = 784 * 150 + 150 + 150 * 50 + 50 + 50 * 10 + 10;
        assertThat(small.numParams()).isEqualTo(expected).isLessThan(masked.numParams());
        assertThat(CandidateTraining.shape(small)).isEqualTo("784-150-50-10");
        INDArray x = data.testIterator(256).next().getFeatures();
        double diff = masked.output(x, false).sub(small.output(x, false)).amaxNumber().doubleValue();
        assertThat(diff).isLessThan(1e-5);

        CandidateMetrics m = t.evaluate(masked, data);
        assertThat(m.shrunkShape()).isEqualTo("784-150-50-10");
        assertThat(m.shrunkParams()).isEqualTo(expected);
        assertThat(m.totalParams()).isEqualTo(266_610);
        assertThat(m.latencyMillis()).isPositive();
        assertThat(m.denseLatencyMillis()).isPositive();
    }

    @Test
    void unstructuredCandidate_keepsItsShape() {
        CandidateTraining t = training(PruningSearchTest.QUICK_PROBE);
        CandidateMetrics m = t.trainAndEvaluate(settings(0.5, PatternMode.UNSTRUCTURED), data);
        assertThat(m.shrunkShape()).isEqualTo("784-300-100-10");
        assertThat(m.shrunkParams()).isEqualTo(m.totalParams());
        assertThat(m.sparsity()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void searchWithALatencyBound_scoresTheShrunkLatency_andWritesTheLatencyColumns(@TempDir Path dir) throws Exception {
        SearchSpace space = SearchPartsTest.twoByTwo()
                .withSparsity(SearchSpace.Range.fixed(0.8))
                .withAllocations(List.of(AllocationMode.LAYER))
                .withPatterns(List.of(PatternMode.UNSTRUCTURED, PatternMode.NEURONS));
        SearchConstraint constraint = SearchConstraint.none().withMaxLatencyRatio(0.9);
        LatencyProbe probe = new LatencyProbe(256, 2, 3, 10.0);
        SearchResult r = PruningSearch.builder()
                .setTraining(training(probe))
                .setData(data)
                .setSpace(space)
                .optGenerator(GeneratorKind.GRID)
                .optConstraint(constraint)
                .build()
                .run();

        assertThat(r.candidates()).hasSize(2).allMatch(c -> c.status() == CandidateRecord.Status.COMPLETE);
        CandidateRecord unstructured = r.candidates().stream()
                .filter(c -> c.settings().pattern() == PatternMode.UNSTRUCTURED).findFirst().orElseThrow();
        CandidateRecord neurons = r.candidates().stream()
                .filter(c -> c.settings().pattern() == PatternMode.NEURONS).findFirst().orElseThrow();
        CandidateMetrics u = unstructured.metrics().orElseThrow();
        CandidateMetrics n = neurons.metrics().orElseThrow();
        // unstructured pruning may leave a few dead units (all incoming weights pruned): surgery removes those too
        assertThat(u.shrunkShape()).startsWith("784-300-");
        assertThat(n.shrunkShape()).isEqualTo("784-60-20-10");
        assertThat(n.shrunkParams()).isLessThan(u.shrunkParams());
        // timings are measured, not compared: a unit test must not depend on the machine's load
        for (CandidateMetrics m : List.of(u, n)) {
            assertThat(m.latencyMillis()).isPositive().isFinite();
            assertThat(m.denseLatencyMillis()).isPositive().isFinite();
            assertThat(m.latencyRatio()).isPositive().isFinite();
        }
        for (CandidateRecord c : r.candidates()) {
            assertThat(c.score()).isEqualTo(constraint.score(c.metrics().orElseThrow()));
        }

        SearchReport.write(dir, r, 100, LayerAllocator.unavailable());
        String table = Files.readString(dir.resolve(SearchReport.TABLE));
        assertThat(table).contains("constraint sparsity >= 0.00, latency ratio <= 0.9",
                "| pattern |", "| shrunk shape | shrunk params | latency (ms) | full-size (ms) | latency ratio |",
                "| neurons |", "| 784-60-20-10 |", "| " + u.shrunkShape() + " |");
        assertThat(Files.readString(dir.resolve(SearchReport.CSV)).lines().findFirst().orElseThrow())
                .contains("pattern", "shrunk_shape,shrunk_params,latency_ms,dense_latency_ms,latency_ratio");

        ObjectNode json = SearchReport.toJson(r, space, probe, data.trainSize(), data.testSize());
        assertThat(json.get("max_latency_ratio").asDouble()).isEqualTo(0.9);
        assertThat(json.get("max_latency_ms").isNull()).isTrue();
        assertThat(json.get("latency_probe").get("batch").asInt()).isEqualTo(256);
        assertThat(json.get("candidates").get(neurons.index()).get("shrunk_shape").asText()).isEqualTo("784-60-20-10");
        assertThat(json.get("candidates").get(neurons.index()).get("latency_ms").asDouble()).isPositive();
        assertThat(json.get("candidates").get(neurons.index()).get("settings").get("pattern").asText()).isEqualTo("neurons");
    }
}
