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
        assertThat(run.err()).contains("arm must be one of [global, alloc, layer, alloc-ft, alloc-op], found 'magic'");
    }

    @Test
    void operatingPointArm_prunesOnlyFurtherFromTheOperatingPointAndMeetsTheTargetExactly() throws Exception {
        Path json = dir.resolve("op.json");
        CliRun run = CliRun.of("bench", "alloc", "--data", "embedded", "--epochs", "1", "--seeds", "3",
                "--sparsity", "0.9", "--arms", "global,alloc-op", "--operating-sparsity", "0.8", "--operating-grid", "0.3,0.6,0.9",
                "--recovery-steps", "2", "--begin-epoch", "0", "--end-epoch", "1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("operating_sparsity").asDouble()).isEqualTo(0.8);
        assertThat(root.get("operating_grid")).hasSize(3);
        assertThat(root.get("sensitivity")).isEmpty(); // no dense sensitivity step without alloc / alloc-ft
        JsonNode op = root.get("operating_point").get(0);
        assertThat(op.get("seed").asLong()).isEqualTo(3);
        long target = Math.round(0.9 * 266_200);
        assertThat(op.get("allocation").get("total_pruned").asLong()).isEqualTo(target);
        long survivorsTotal = 0;
        for (JsonNode c : op.get("curves")) {
            String id = c.get("id").asText();
            long survivors = op.get("survivors").get(id).asLong();
            survivorsTotal += survivors;
            assertThat(c.get("survivors").asLong()).isEqualTo(survivors);
            assertThat(c.get("metrics")).hasSize(3);
        }
        // the operating point is the global-GMP model at exactly round(0.8 * N) zeros
        assertThat(266_200 - survivorsTotal).isEqualTo(Math.round(0.8 * 266_200));
        JsonNode allocRun = root.get("runs").get(1);
        assertThat(allocRun.get("arm").asText()).isEqualTo("alloc-op");
        assertThat(266_200 - allocRun.get("nonzero_weights").asLong()).isEqualTo(target);
        for (JsonNode layer : allocRun.get("layers")) {
            String id = layer.get("id").asText();
            long pruned = op.get("allocation").get("pruned").get(id).asLong();
            // never keeps more than the operating point's survivors, and the run prunes exactly the plan
            assertThat(layer.get("size").asLong() - pruned).as(id).isLessThanOrEqualTo(op.get("survivors").get(id).asLong());
            assertThat(layer.get("size").asLong() - layer.get("nonzero").asLong()).as(id).isEqualTo(pruned);
        }
        assertThat(root.get("summary").get(1).get("arm").asText()).isEqualTo("alloc-op");
    }

    @Test
    void operatingPointOptions_areValidatedNamingTheField() {
        CliRun above = CliRun.of("bench", "alloc", "--data", "embedded", "--arms", "global,alloc-op", "--sparsity", "0.9",
                "--operating-sparsity", "0.95", "--out", dir.resolve("y").toString());
        assertThat(above.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(above.err()).contains("operatingSparsity must be in (0, sparsity = 0.9)", "found 0.95");
        CliRun grid = CliRun.of("bench", "alloc", "--data", "embedded", "--arms", "alloc-op", "--operating-grid", "0.5,1.0",
                "--out", dir.resolve("z").toString());
        assertThat(grid.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(grid.err()).contains("operatingGrid[1] must be in (0, 1)", "found 1.0");
        CliRun zero = CliRun.of("bench", "alloc", "--data", "embedded", "--arms", "alloc-op", "--operating-grid", "0,0.5",
                "--out", dir.resolve("w").toString());
        assertThat(zero.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(zero.err()).contains("operatingGrid[0] must be in (0, 1)");
        CliRun beyond = CliRun.of("bench", "alloc", "--data", "embedded", "--arms", "alloc-op", "--sparsity", "0.99",
                "--operating-sparsity", "0.8", "--out", dir.resolve("v").toString());
        assertThat(beyond.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(beyond.err()).contains("sparsity 0.99 is beyond what the alloc-op survivor curves reach",
                "operatingSparsity 0.8");
    }
}
