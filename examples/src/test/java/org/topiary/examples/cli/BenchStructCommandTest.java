package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench struct} on the embedded subset: LeNet only, one seed, a few minibatches. */
@Timeout(180)
class BenchStructCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesShrunkRunsWithSpeedupsAndEqualOutputs() throws Exception {
        Path json = dir.resolve("struct.json");
        CliRun run = CliRun.of("bench", "struct", "--data", "embedded", "--epochs", "1", "--max-batches", "5",
                "--seeds", "3", "--arms", "lenet", "--rounds", "1", "--fine-tune-lr", "3e-4", "--threads", "1",
                "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("| lenet-50 | 1 | 300->150, 100->50, 10->10 |", "| lenet-75 | 1 | 300->75, 100->25, 10->10 |");
        assertThat(dir.resolve("out").resolve("bench-struct.md")).exists();

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-struct");
        assertThat(root.get("fine_tune").asText()).isEqualTo("masked");
        assertThat(root.get("fine_tune_lr").asDouble()).isEqualTo(3e-4);
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(2);
        for (JsonNode r : runs) {
            assertThat(r.get("speedup_b1").asDouble()).isPositive();
            assertThat(r.get("speedup_b256").asDouble()).isPositive();
            assertThat(r.get("max_abs_diff").asDouble()).isLessThanOrEqualTo(1e-5);
            assertThat(r.get("params_after").asLong()).isLessThan(r.get("params_before").asLong());
        }
        assertThat(runs.get(1).get("params_after").asLong()).isEqualTo(784 * 75 + 75 + 75 * 25 + 25 + 25 * 10 + 10);
    }

    @Test
    void shrunkFineTune_runsToo() throws Exception {
        Path json = dir.resolve("struct2.json");
        CliRun run = CliRun.of("bench", "struct", "--data", "embedded", "--epochs", "1", "--max-batches", "3",
                "--seeds", "4", "--arms", "lenet", "--fractions", "0.5", "--rounds", "1", "--fine-tune", "shrunk",
                "--threads", "1", "--out", dir.resolve("out2").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("fine_tune").asText()).isEqualTo("shrunk");
        assertThat(root.get("fine_tune_lr").asDouble()).as("the default").isEqualTo(7e-4);
        assertThat(root.get("runs").get(0).get("fine_tuned_test_accuracy").asDouble()).isPositive();
    }

    @Test
    void unknownArmIsAUsageError() {
        CliRun run = CliRun.of("bench", "struct", "--arms", "lenet,vit");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("unknown arm 'vit'; arms: [lenet, cnn, nm]");
    }

    @Test
    void nmArmEmbedsTheTwoOfFourRunsWithExactPatterns() throws Exception {
        Path json = dir.resolve("struct-nm.json");
        CliRun run = CliRun.of("bench", "struct", "--data", "embedded", "--epochs", "2", "--seeds", "3",
                "--arms", "nm", "--nm-window", "0:1", "--nm-fine-tune-epochs", "1", "--threads", "1",
                "--out", dir.resolve("out-nm").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("gradual-2:4", "oneshot-2:4");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("runs")).isEmpty();
        JsonNode nm = root.get("nm");
        assertThat(nm.get("pattern").asText()).isEqualTo("2:4");
        for (JsonNode r : nm.get("runs")) {
            if (r.get("name").asText().contains("2:4")) {
                assertThat(r.get("pattern_exact").asBoolean()).as(r.get("name").asText()).isTrue();
                assertThat(r.get("sparsity").asDouble()).isEqualTo(0.5);
            }
        }
    }

    @Test
    void aMalformedNmWindowIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("bench", "struct", "--data", "embedded", "--arms", "nm", "--nm-window", "7",
                "--out", dir.resolve("bad").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--nm-window");
    }

    @Test
    void validationFractionReportsValidationAccuracies_andRejectsBadFractions() throws Exception {
        Path json = dir.resolve("struct-val.json");
        CliRun run = CliRun.of("bench", "struct", "--data", "embedded", "--epochs", "1", "--max-batches", "3",
                "--seeds", "5", "--arms", "lenet", "--fractions", "0.5", "--rounds", "1", "--validation-fraction", "0.2",
                "--threads", "1", "--out", dir.resolve("out-val").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("validation split, not the test set");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("evaluated_on").asText()).isEqualTo("validation");

        CliRun bad = CliRun.of("bench", "struct", "--data", "embedded", "--validation-fraction", "1.5",
                "--out", dir.resolve("bad-val").toString());
        assertThat(bad.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(bad.err()).contains("--validation-fraction");
    }
}
