package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench nm} on the embedded subset, one seed, short runs. */
@Timeout(180)
class BenchNmCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesDenseGradualAndOneShotRunsWithExactTwoOfFour() throws Exception {
        Path json = dir.resolve("nm.json");
        CliRun run = CliRun.of("bench", "nm", "--data", "embedded", "--epochs", "2", "--seeds", "3",
                "--begin-epoch", "0", "--end-epoch", "1", "--fine-tune-epochs", "1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("gradual-2:4", "oneshot-2:4", "no speedup inside ND4J");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-nm");
        assertThat(root.get("pattern").asText()).isEqualTo("2:4");
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(4);
        assertThat(runs.get(0).get("name").asText()).isEqualTo("dense");
        assertThat(runs.get(0).get("accuracy_before_fine_tune").isNull()).isTrue();
        assertThat(runs.get(2).get("name").asText()).isEqualTo("dense-ft");
        assertThat(runs.get(2).get("epochs").asInt()).isEqualTo(1);
        for (int i : new int[] {1, 3}) {
            JsonNode r = runs.get(i);
            assertThat(r.get("pattern_exact").asBoolean()).as(r.get("name").asText()).isTrue();
            assertThat(r.get("sparsity").asDouble()).isEqualTo(0.5);
            assertThat(r.get("test_accuracy").asDouble()).isGreaterThan(0.5);
        }
        assertThat(runs.get(3).get("name").asText()).isEqualTo("oneshot-2:4");
        assertThat(runs.get(3).get("accuracy_before_fine_tune").asDouble()).isGreaterThan(0.1);
        assertThat(root.get("summary")).hasSize(4);
        assertThat(root.get("summary").get(3).has("mean_delta_vs_equal_training")).isTrue();
        assertThat(root.get("inference_b256").get("ratio").asDouble()).isPositive();
    }

    @Test
    void aPatternThatDoesNotDivideTheInputsIsAUsageError() {
        CliRun run = CliRun.of("bench", "nm", "--data", "embedded", "--n", "4", "--m", "4");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("n must be in [1, m)");
    }
}
