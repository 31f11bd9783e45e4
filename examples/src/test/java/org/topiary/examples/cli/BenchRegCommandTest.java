package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench reg} on the embedded subset: one seed, a few minibatches per epoch. */
@Timeout(180)
class BenchRegCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesPairedRunsTableAndJson() throws Exception {
        Path json = dir.resolve("reg.json");
        CliRun run = CliRun.of("bench", "reg", "--data", "embedded", "--epochs", "2", "--max-batches", "4",
                "--seeds", "2", "--arms", "dense,prox-l1,prox-group,aprox-l1", "--prox-l1", "0.5", "--group", "1.0",
                "--aprox-l1", "0.01", "--ramp-epochs", "1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("| prox-l1 | 0.5 | 1 |", "| prox-group | 1 | 1 |", "| aprox-l1 | 0.01 | 1 |");
        assertThat(dir.resolve("out").resolve("bench-reg.md")).exists();

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-reg");
        assertThat(root.get("command").asText()).isEqualTo("bench reg");
        assertThat(root.get("steps_per_epoch").asInt()).isEqualTo(4);
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(4);
        assertThat(runs.get(3).get("weight_sparsity").asDouble()).isPositive();
        assertThat(root.get("ramp_epochs").asInt()).isEqualTo(1);
        assertThat(runs.get(0).get("arm").asText()).isEqualTo("dense");
        assertThat(runs.get(1).get("weight_sparsity").asDouble()).isPositive();
        assertThat(runs.get(2).get("seed").asLong()).isEqualTo(2);
        for (String field : new String[] {"test_accuracy", "layer_sparsity", "hidden_zero_incoming", "removable_neurons",
                "shrunk_hidden", "shrunk_test_accuracy", "seconds"}) {
            assertThat(runs.get(2).has(field)).as(field).isTrue();
        }
        assertThat(root.get("summary")).hasSize(4);
        assertThat(root.get("summary").get(1).has("mean_delta_vs_dense_points")).isTrue();
    }

    @Test
    void withAValidationFractionTheJsonHasValidationAccuraciesPairedWithDense() throws Exception {
        Path json = dir.resolve("reg-val.json");
        CliRun run = CliRun.of("bench", "reg", "--data", "embedded", "--epochs", "2", "--max-batches", "3",
                "--seeds", "1", "--arms", "dense,aprox-ft", "--aprox-l1", "0.01", "--ft-epoch", "1", "--l1-layers", "0,1",
                "--threshold-cap", "2", "--validation-fraction", "0.1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("Validation accuracies are on 1000 held-out training examples",
                "| arm | λ | seeds | validation acc % | Δ val vs dense (pt) |");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("validation_fraction").asDouble()).isEqualTo(0.1);
        assertThat(root.get("validation_examples").asInt()).isEqualTo(1000);
        assertThat(root.get("validation_split_seed").asLong()).isEqualTo(1);
        assertThat(root.get("threshold_cap").asDouble()).isEqualTo(2.0);
        JsonNode runs = root.get("runs");
        double denseVal = runs.get(0).get("validation_accuracy").asDouble();
        double armVal = runs.get(1).get("validation_accuracy").asDouble();
        assertThat(denseVal).isBetween(0.0, 1.0);
        assertThat(root.get("summary").get(1).get("mean_validation_delta_vs_dense_points").asDouble())
                .isCloseTo(100 * (armVal - denseVal), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aValidationFractionOfOneIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("bench", "reg", "--validation-fraction", "1");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("--validation-fraction must be in [0, 1)");
    }

    @Test
    void unknownArmIsAUsageErrorListingTheArms() {
        CliRun run = CliRun.of("bench", "reg", "--arms", "dense,l0");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("unknown arm 'l0' in --arms; arms: [dense, prox-l1, prox-group, group-ft, aprox-l1,"
                + " aprox-ft, agroup, agroup-ft, gmp, l1-gmp, rgroup-ft, raprox-ft]");
    }
}
