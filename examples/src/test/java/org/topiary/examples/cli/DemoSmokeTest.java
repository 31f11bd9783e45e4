package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.topiary.examples.report.Charts;
import org.topiary.examples.report.JsonReport;
import org.topiary.examples.report.MarkdownReport;
import org.topiary.examples.report.PngAssertions;
import org.topiary.examples.train.RunSpec;

/** Runs {@code topiary demo} end to end on the embedded subset for one epoch. */
@Timeout(120)
class DemoSmokeTest {

    @TempDir static Path dir;

    private static Path out;
    private static Path jsonFile;
    private static CliRun run;

    @BeforeAll
    static void runDemoOnce() {
        out = dir.resolve("run");
        jsonFile = dir.resolve("json/result.json");
        run =
                CliRun.of(
                        "demo", "--data", "embedded", "--epochs", "1", "--seed", "7",
                        "--threads", "1", "--out", out.toString(), "--json", jsonFile.toString());
    }

    @Test
    void demo_exitsZero_andPrintsDataSourceAndResultsTable() {
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out())
                .contains("Data: embedded subset")
                .contains("test accuracy")
                .contains("non-zero params")
                .contains("dense")
                .contains("Report: " + out.resolve(MarkdownReport.FILE_NAME))
                .contains("JSON:   " + jsonFile);
    }

    @Test
    void json_hasEveryDocumentedField_withSaneValues() {
        JsonNode json = JsonReport.read(jsonFile);

        assertThat(json.get("schema").asText()).isEqualTo(JsonReport.SCHEMA);
        assertThat(json.get("version").asInt()).isEqualTo(JsonReport.VERSION);
        assertThat(json.get("command").asText()).isEqualTo("demo");
        assertThat(json.get("arguments").get(0).asText()).isEqualTo("--data");
        assertThat(json.get("created_at").asText()).isNotBlank();
        assertThat(json.get("data_source").asText()).startsWith("embedded subset");
        assertThat(json.get("data_embedded_subset").asBoolean()).isTrue();
        assertThat(json.get("train_examples").asInt()).isEqualTo(10_000);
        assertThat(json.get("test_examples").asInt()).isEqualTo(2_000);
        JsonNode backend = json.get("backend");
        assertThat(backend.get("name").asText()).isEqualTo("CPU");
        assertThat(backend.get("blas_vendor").asText()).isNotBlank();
        assertThat(backend.get("threads").asInt()).isEqualTo(1);
        assertThat(fieldNames(backend.get("thread_pools"))).containsExactly("libnd4j", "openmp", "blas");
        assertThat(backend.get("gpus").isArray()).isTrue();
        JsonNode machine = json.get("machine");
        assertThat(fieldNames(machine))
                .containsExactly("cpu_model", "logical_cpus", "memory_bytes", "os", "java_version", "nd4j_version");
        assertThat(machine.get("logical_cpus").asInt()).isPositive();
        assertThat(json.get("out_dir").asText()).isEqualTo(out.toString());

        assertThat(json.get("runs")).hasSize(DemoRuns.all().size() + 1);
        assertThat(json.get("runs").get(DemoRuns.all().size()).get("name").asText()).isEqualTo("shrunk-50");
        JsonNode shrink = json.get("shrink").get(0);
        assertThat(fieldNames(shrink)).containsExactly("run", "source", "fraction", "units", "params_before", "params_after",
                "test_accuracy_before_fine_tune", "test_accuracy_after_fine_tune", "dense_b256_ms", "shrunk_b256_ms",
                "speedup_b256");
        assertThat(shrink.get("units").get("0").asText()).isEqualTo("300->150");
        assertThat(shrink.get("params_after").asLong()).isEqualTo(784 * 150 + 150 + 150 * 50 + 50 + 50 * 10 + 10);
        assertThat(shrink.get("speedup_b256").asDouble()).isPositive();
        JsonNode r = json.get("runs").get(0);
        assertThat(r.get("name").asText()).isEqualTo("dense");
        assertThat(r.get("seed").asLong()).isEqualTo(7);
        assertThat(r.get("epochs").asInt()).isEqualTo(1);
        assertThat(r.get("batch_size").asInt()).isEqualTo(128);
        assertThat(r.get("test_accuracy").asDouble()).isBetween(0.6, 1.0);
        assertThat(r.get("sparsity").asDouble()).isZero();
        assertThat(r.get("prunable_weights").asLong()).isEqualTo(266_200);
        assertThat(r.get("nonzero_weights").asLong()).isEqualTo(266_200);
        assertThat(r.get("total_params").asLong()).isEqualTo(266_610);
        // Biases start at zero; after training nearly all of them have moved.
        assertThat(r.get("nonzero_params").asLong()).isBetween(266_200L, 266_610L);
        assertThat(r.get("model_file").asText()).isEqualTo("dense.zip");
        assertThat(r.get("model_file_bytes").asLong()).isEqualTo(out.resolve("dense.zip").toFile().length()).isPositive();
        assertThat(r.get("train_seconds").asDouble()).isPositive();
        assertThat(r.get("examples_per_second").asDouble())
                .isCloseTo(10_000 / r.get("train_seconds").asDouble(), org.assertj.core.data.Percentage.withPercentage(0.1));
        JsonNode epoch = r.get("per_epoch").get(0);
        assertThat(fieldNames(epoch)).containsExactly("epoch", "loss", "test_accuracy", "train_seconds", "examples_per_second");
        assertThat(epoch.get("loss").asDouble()).isPositive();
        assertThat(r.get("layers")).hasSize(3);
        assertThat(fieldNames(r.get("layers").get(0)))
                .containsExactly("param", "layer", "layer_type", "shape", "size", "nonzero", "sparsity");
        assertThat(r.get("sparsity_trace").isArray()).isTrue();
    }

    @Test
    void reportAndCharts_existInTheRunFolder_asValidPngs() throws Exception {
        String md = Files.readString(out.resolve(MarkdownReport.FILE_NAME));
        assertThat(md)
                .contains("- Data: embedded subset")
                .contains("- Backend: ND4J CPU")
                .contains("| dense |")
                .contains("## Shrunk network")
                .contains("| shrunk-50 | dense | 300->150 / 100->50 / 10->10 |")
                .contains("(" + Charts.ACCURACY + ")")
                .contains("(" + Charts.LAYER_SPARSITY + ")");
        PngAssertions.assertValidPng(out.resolve(Charts.ACCURACY));
        PngAssertions.assertValidPng(out.resolve(Charts.LAYER_SPARSITY));
        for (RunSpec spec : DemoRuns.all()) {
            assertThat(out.resolve(spec.name() + ".zip")).isNotEmptyFile();
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary files left behind")
                    .allMatch(name -> !name.endsWith(".tmp"));
        }
    }

    @Test
    void dataDirectoryThatDoesNotExist_failsWithExitCode1_namingIt() {
        Path missing = dir.resolve("no-such-dir");

        CliRun failed = CliRun.of("demo", "--data", missing.toString(), "--out", dir.resolve("r2").toString());

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).contains(missing.toString()).contains("directory not found").doesNotContain("\tat ");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
