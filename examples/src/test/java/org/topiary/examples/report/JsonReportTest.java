package org.topiary.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.RunResult;

class JsonReportTest {

    @TempDir Path dir;

    @Test
    void toJson_hasTheDocumentedTopLevelFields() {
        ObjectNode json = JsonReport.toJson(Fixtures.report(dir, List.of(Fixtures.run("dense", 1, false))));

        assertThat(fieldNames(json))
                .containsExactly(
                        "schema", "version", "command", "arguments", "created_at", "data_source",
                        "data_embedded_subset", "train_examples", "test_examples", "backend",
                        "machine", "out_dir", "runs");
        assertThat(json.get("schema").asText()).isEqualTo("topiary-cli-result");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("created_at").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(json.get("backend").get("name").asText()).isEqualTo("CPU");
        assertThat(json.get("backend").get("threads").asInt()).isEqualTo(1);
    }

    @Test
    void run_carriesEveryTableNumber_unformatted() {
        RunResult run = Fixtures.run("gmp-90", 2, true);
        JsonNode json = JsonReport.toJson(Fixtures.report(dir, List.of(run))).get("runs").get(0);

        assertThat(fieldNames(json))
                .containsExactly(
                        "name", "seed", "epochs", "batch_size", "test_accuracy", "sparsity",
                        "prunable_weights", "nonzero_weights", "total_params", "nonzero_params",
                        "model_file", "model_file_bytes", "train_seconds", "examples_per_second",
                        "per_epoch", "layers", "sparsity_trace");
        assertThat(json.get("test_accuracy").asDouble()).isEqualTo(run.testAccuracy());
        assertThat(json.get("sparsity").asDouble()).isEqualTo(run.sparsity());
        assertThat(json.get("nonzero_params").asLong()).isEqualTo(54_930);
        assertThat(json.get("model_file_bytes").asLong()).isEqualTo(1_048_576);
        assertThat(json.get("examples_per_second").asDouble()).isEqualTo(6000.0);
        assertThat(json.get("layers").get(0).get("shape").toString()).isEqualTo("[784,300]");
        assertThat(json.get("layers").get(0).get("sparsity").asDouble()).isEqualTo(0.9);
        assertThat(json.get("per_epoch").get(1).get("epoch").asInt()).isEqualTo(2);
        assertThat(json.get("sparsity_trace").get(2).get("target_sparsity").asDouble()).isEqualTo(0.9);
    }

    @Test
    void nonFiniteNumbers_areWrittenAsNull() {
        RunResult base = Fixtures.run("dense", 1, false);
        RunResult diverged =
                new RunResult(
                        base.name(), base.seed(), base.batchSize(),
                        List.of(new EpochStats(1, Double.NaN, 0.1, 1.0, 10)),
                        base.weights(), base.modelFile(), base.modelFileBytes(), base.trace());

        JsonNode epoch =
                JsonReport.toJson(Fixtures.report(dir, List.of(diverged)))
                        .get("runs").get(0).get("per_epoch").get(0);

        assertThat(epoch.get("loss").isNull()).isTrue();
    }

    @Test
    void write_thenRead_roundTrips() throws Exception {
        Path file = dir.resolve("result.json");
        CommandReport report = Fixtures.report(dir, List.of(Fixtures.run("dense", 1, false)));

        JsonReport.write(file, report);

        assertThat(JsonReport.read(file).toString()).isEqualTo(JsonReport.toJson(report).toString());
        assertThat(Files.readString(file)).endsWith("}\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
