package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench samediff} on the embedded subset, one seed, two epochs; and its usage errors. */
@Timeout(240)
class BenchSameDiffCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesEveryArmWithExactPerWeightSparsityAndPairedSummaries() throws Exception {
        Path json = dir.resolve("sd.json");
        CliRun run = CliRun.of("bench", "samediff", "--data", "embedded", "--epochs", "2", "--seeds", "3",
                "--arms", "mln-gmp,sd-gmp,mln-dense,sd-dense", "--begin-epoch", "0", "--end-epoch", "1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("mln-gmp", "sd-gmp", "mln-dense", "sd-dense", "epoch time / network");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-samediff");
        assertThat(root.get("target_sparsity").asDouble()).isEqualTo(0.9);
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(4);
        assertThat(runs.get(0).get("arm").asText()).isEqualTo("mln-gmp");
        assertThat(runs.get(1).get("arm").asText()).isEqualTo("sd-gmp");
        assertThat(runs.get(2).get("arm").asText()).isEqualTo("mln-dense");
        assertThat(runs.get(3).get("arm").asText()).isEqualTo("sd-dense");
        assertThat(runs.get(3).get("reference").asText()).isEqualTo("mln-dense");
        for (int i = 0; i < 2; i++) {
            JsonNode pruned = runs.get(i);
            assertThat(pruned.get("layers")).hasSize(3);
            for (JsonNode layer : pruned.get("layers")) {
                long size = layer.get("size").asLong();
                assertThat(layer.get("nonzero").asLong()).as(layer.get("id").asText()).isEqualTo(size - Math.round(0.9 * size));
            }
            assertThat(pruned.get("history").size()).isPositive();
            assertThat(pruned.get("accuracy_per_epoch")).hasSize(2);
            assertThat(pruned.get("epoch_seconds")).hasSize(2);
            assertThat(pruned.get("test_accuracy").asDouble()).isGreaterThan(0.5);
        }
        assertThat(runs.get(1).get("layers").get(0).get("id").asText()).isEqualTo("w0");
        for (int i = 2; i < 4; i++) {
            assertThat(runs.get(i).get("sparsity").asDouble()).isLessThan(0.01);
            assertThat(runs.get(i).get("history")).isEmpty();
        }
        // every arm starts from the same weights
        for (JsonNode r : runs) {
            assertThat(r.get("initial_output_max_abs_diff").asDouble()).as(r.get("arm").asText()).isLessThan(1e-6);
        }
        JsonNode summary = root.get("summary");
        assertThat(summary).hasSize(4);
        assertThat(summary.get(0).get("mean_delta_vs_reference").asDouble()).isZero();
        assertThat(summary.get(0).get("median_epoch_time_ratio_vs_reference").asDouble()).isEqualTo(1.0);
        assertThat(summary.get(1).get("reference").asText()).isEqualTo("mln-gmp");
        assertThat(summary.get(1).get("mean_delta_vs_reference").asDouble()).isCloseTo(
                runs.get(1).get("test_accuracy").asDouble() - runs.get(0).get("test_accuracy").asDouble(),
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(summary.get(3).get("mean_delta_vs_reference").asDouble()).isCloseTo(
                runs.get(3).get("test_accuracy").asDouble() - runs.get(2).get("test_accuracy").asDouble(),
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(summary.get(1).get("median_epoch_time_ratio_vs_reference").asDouble()).isPositive();
    }

    @Test
    void anUnknownArmIsAUsageErrorNamingArms() {
        CliRun run = CliRun.of("bench", "samediff", "--data", "embedded", "--arms", "mln-gmp,sd-magic");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--arms", "sd-magic");
    }

    @Test
    void aSameDiffArmWithoutItsNetworkArmIsAUsageError() {
        CliRun run = CliRun.of("bench", "samediff", "--data", "embedded", "--arms", "mln-gmp,sd-gmp,sd-dense");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--arms: sd-dense needs mln-dense");
    }

    @Test
    void aSparsityOutsideTheUnitIntervalIsAUsageErrorNamingSparsity() {
        CliRun run = CliRun.of("bench", "samediff", "--data", "embedded", "--sparsity", "1.0");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--sparsity", "1.0");
    }

    @Test
    void aWindowPastTheLastEpochIsAUsageError() {
        CliRun run = CliRun.of("bench", "samediff", "--data", "embedded", "--epochs", "3");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--end-epoch (7) must be <= --epochs (3)");
    }

    @Test
    void aRepeatedSeedIsAUsageErrorNamingSeeds() {
        CliRun run = CliRun.of("bench", "samediff", "--data", "embedded", "--seeds", "1,1");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--seeds names a seed twice");
    }
}
