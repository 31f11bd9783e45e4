package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench alloc} on the embedded subset, one seed, two short epochs. */
@Timeout(240)
class BenchAllocCommandTest {
    @TempDir Path dir;

    @Test
    void benchRunsEveryArmFromOneSensitivityStepAndMeetsTheTargetExactly() throws Exception {
        Path json = dir.resolve("alloc.json");
        CliRun run = CliRun.of("bench", "alloc", "--data", "embedded", "--epochs", "1", "--seeds", "2",
                "--sparsity", "0.9", "--grid", "0.5,0.9,0.95", "--arms", "global,alloc,layer,alloc-ft", "--recovery-steps", "2", "--begin-epoch", "0", "--end-epoch", "1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("global", "alloc", "layer", "collapses");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-alloc");
        assertThat(root.get("sensitivity")).hasSize(1);
        assertThat(root.get("sensitivity").get(0).get("curves")).hasSize(3);
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(4);
        assertThat(root.get("sensitivity").get(0).get("recovered_curves")).hasSize(3);
        for (JsonNode r : runs) {
            long nonzero = r.get("nonzero_weights").asLong();
            // exactly round(0.9 * 266,200) pruned in every arm (a trained weight is never exactly 0 by chance here)
            assertThat(266_200 - nonzero).as(r.get("arm").asText()).isEqualTo(Math.round(0.9 * 266_200));
            assertThat(r.get("live_output_classes").asInt()).isEqualTo(10);
            assertThat(r.has("collapsed")).isTrue();
        }
        JsonNode alloc = runs.get(1);
        assertThat(alloc.get("arm").asText()).isEqualTo("alloc");
        JsonNode allocated = root.get("sensitivity").get(0).get("allocation").get("sparsities");
        for (JsonNode layer : alloc.get("layers")) {
            double planned = allocated.get(layer.get("id").asText()).asDouble();
            assertThat(layer.get("sparsity").asDouble()).isEqualTo(planned, org.assertj.core.api.Assertions.within(0.5 / layer.get("size").asDouble()));
        }
        assertThat(root.get("summary")).hasSize(4);
        assertThat(root.get("summary").get(0).get("mean_delta_vs_global").asDouble()).isZero();
    }

    @Test
    void unknownArmIsAUsageErrorListingTheArms() {
        CliRun run = CliRun.of("bench", "alloc", "--data", "embedded", "--arms", "global,magic", "--out", dir.resolve("x").toString());
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("arm must be one of [global, alloc, layer, alloc-ft], found 'magic'");
    }
}
