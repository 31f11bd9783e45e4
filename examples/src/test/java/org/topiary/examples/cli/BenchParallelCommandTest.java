package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench parallel} on the embedded subset, one seed, two epochs; and its usage errors. */
@Timeout(240)
class BenchParallelCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesBothArmsWithExactPerWeightSparsityAndRoundsAsSteps() throws Exception {
        Path json = dir.resolve("pw.json");
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--epochs", "2", "--seeds", "3",
                "--begin-epoch", "0", "--end-epoch", "1", "--threads", "1",
                "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("single", "pw-2", "epoch wall/single");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-parallel");
        assertThat(root.get("workers").asInt()).isEqualTo(2);
        assertThat(root.get("averaging_frequency").asInt()).isEqualTo(1);
        // embedded: 10,000 examples at batch 128 = 79 minibatches = 40 rounds of 2
        assertThat(root.get("minibatches_per_epoch").asLong()).isEqualTo(79);
        assertThat(root.get("rounds_per_epoch").asLong()).isEqualTo(40);
        assertThat(root.get("same_initial_params").asBoolean()).isTrue();
        assertThat(root.get("same_batch_order").asBoolean()).isTrue();
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("arm").asText()).isEqualTo("single");
        assertThat(runs.get(1).get("arm").asText()).isEqualTo("pw-2");
        assertThat(runs.get(0).get("steps").asLong()).isEqualTo(2 * 79);
        assertThat(runs.get(1).get("steps").asLong()).isEqualTo(2 * 40);
        for (JsonNode r : runs) {
            String arm = r.get("arm").asText();
            assertThat(r.get("layers")).as(arm).hasSize(3);
            for (JsonNode layer : r.get("layers")) {
                long size = layer.get("size").asLong();
                assertThat(layer.get("nonzero").asLong()).as("%s %s", arm, layer.get("id").asText())
                        .isEqualTo(size - Math.round(0.9 * size));
            }
            assertThat(r.get("layer_sparsity_per_epoch")).as(arm).hasSize(2);
            // the window ends with epoch 1 in both arms: 79 steps of single, 40 rounds of pw-2
            assertThat(r.get("layer_sparsity_per_epoch").get(0).get("0_W").asDouble()).as(arm).isCloseTo(0.9, within(1e-4));
            assertThat(r.get("history").size()).as(arm).isPositive();
            assertThat(r.get("history").get(r.get("history").size() - 1).get("step").asLong()).as(arm)
                    .isEqualTo(r.get("steps_per_epoch").asLong());
            assertThat(r.get("accuracy_per_epoch")).hasSize(2);
            assertThat(r.get("epoch_seconds")).hasSize(2);
            assertThat(r.get("epoch_cpu_seconds")).hasSize(2);
            assertThat(r.get("batches_per_epoch").get(1).asInt()).isEqualTo(79);
            assertThat(r.get("test_accuracy").asDouble()).as(arm).isGreaterThan(0.5);
        }
        assertThat(runs.get(1).get("batch_order_hash_per_epoch")).isEqualTo(runs.get(0).get("batch_order_hash_per_epoch"));
        JsonNode summary = root.get("summary");
        assertThat(summary).hasSize(2);
        assertThat(summary.get(0).get("mean_delta_vs_single").asDouble()).isZero();
        assertThat(summary.get(0).get("median_epoch_time_ratio_vs_single").asDouble()).isEqualTo(1.0);
        assertThat(summary.get(1).get("mean_delta_vs_single").asDouble()).isCloseTo(
                runs.get(1).get("test_accuracy").asDouble() - runs.get(0).get("test_accuracy").asDouble(), within(1e-12));
        assertThat(summary.get(1).get("mean_sparsity").asDouble()).isCloseTo(0.9, within(1e-3));
        assertThat(summary.get(1).get("median_epoch_time_ratio_vs_single").asDouble()).isPositive();
    }

    @Test
    void denseBenchTrainsBothArmsWithoutPruning() throws Exception {
        Path json = dir.resolve("dense.json");
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--epochs", "1", "--seeds", "4", "--dense",
                "--begin-epoch", "0", "--end-epoch", "1", "--threads", "1",
                "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("pruned").asBoolean()).isFalse();
        for (JsonNode r : root.get("runs")) {
            assertThat(r.get("history")).as(r.get("arm").asText()).isEmpty();
            assertThat(r.get("sparsity").asDouble()).as(r.get("arm").asText()).isLessThan(0.01);
        }
        assertThat(root.get("runs").get(1).get("steps").asLong()).isEqualTo(40);
    }

    @Test
    void oneWorkerIsAUsageErrorNamingWorkers() {
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--workers", "1");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--workers must be >= 2");
    }

    @Test
    void aZeroAveragingFrequencyIsAUsageErrorNamingIt() {
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--averaging-frequency", "0");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--averaging-frequency must be >= 1");
    }

    @Test
    void aZeroPrefetchIsAUsageErrorNamingIt() {
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--prefetch", "0");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--prefetch must be >= 1");
    }

    @Test
    void aSparsityOutsideTheUnitIntervalIsAUsageErrorNamingSparsity() {
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--sparsity", "1.0");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--sparsity", "1.0");
    }

    @Test
    void aWindowPastTheLastEpochIsAUsageError() {
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--epochs", "3");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--end-epoch (7) must be <= --epochs (3)");
    }

    @Test
    void aRepeatedSeedIsAUsageErrorNamingSeeds() {
        CliRun run = CliRun.of("bench", "parallel", "--data", "embedded", "--seeds", "1,1");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--seeds names a seed twice");
    }
}
