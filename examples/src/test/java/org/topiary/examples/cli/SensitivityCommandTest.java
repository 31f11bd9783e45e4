package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.json.SparsityJson;

/** {@code topiary sensitivity} on the embedded subset, the config it writes, and its usage errors. */
@Timeout(240)
class SensitivityCommandTest {
    private static final Map<String, Long> SIZES = Map.of("0_W", 235_200L, "1_W", 30_000L, "2_W", 1_000L);

    @TempDir Path dir;

    @Test
    void measuresEveryLayer_writesTableChartJsonAndAConfigThatPruneAccepts() throws Exception {
        Path out = dir.resolve("sens");
        Path json = dir.resolve("s.json");
        CliRun run = CliRun.of("sensitivity", "--data", "embedded", "--epochs", "1", "--grid", "0.5,0.9,0.99",
                "--target", "0.95", "--begin-epoch", "0", "--end-epoch", "1", "--threads", "1",
                "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("sensitivity [1/3] 0_W (235200 weights)", "sensitivity [3/3] 2_W", "test set not used");
        assertThat(out.resolve("sensitivity.png")).isNotEmptyFile();
        assertThat(out.resolve("sensitivity.txt")).isNotEmptyFile();

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("schema").asText()).isEqualTo("topiary-sensitivity");
        assertThat(root.get("validation_examples").asInt()).isEqualTo(1000);
        assertThat(root.get("curves")).hasSize(3);
        assertThat(root.get("curves").get(2).get("pruned").get(2).asLong()).isEqualTo(990);
        assertThat(root.get("allocation").get("total_pruned").asLong()).isEqualTo(Math.round(0.95 * 266_200));

        PruningConfig config = SparsityJson.configFromJson(Files.readString(out.resolve("pruning-config.json")));
        assertThat(config.overrides()).containsOnlyKeys("0_W", "1_W", "2_W");
        long planned = 0;
        for (Map.Entry<String, Double> e : config.overrides().entrySet()) {
            planned += MaskStrategy.countFor(e.getValue(), SIZES.get(e.getKey()));
        }
        assertThat(planned).isEqualTo(Math.round(0.95 * 266_200));

        Path pruned = dir.resolve("pruned");
        CliRun prune = CliRun.of("prune", "--data", "embedded", "--epochs", "1", "--threads", "1",
                "--config", out.resolve("pruning-config.json").toString(), "--out", pruned.toString());
        assertThat(prune.exitCode()).as("stderr: %s", prune.err()).isZero();
        MultiLayerNetwork net = (MultiLayerNetwork) PrunedModels.restore(pruned.resolve("prune-95.zip")).model();
        SparsityReport report = ModelSparsity.report(net);
        long zeros = report.tensor("0_W").zeros() + report.tensor("1_W").zeros() + report.tensor("2_W").zeros();
        assertThat(zeros).isEqualTo(Math.round(0.95 * 266_200));

        // the saved dense model gives back the same baseline on the same validation split
        CliRun again = CliRun.of("sensitivity", "--data", "embedded", "--model", out.resolve("dense.zip").toString(),
                "--grid", "0.5", "--threads", "1", "--out", dir.resolve("again").toString(), "--json", dir.resolve("a.json").toString());
        assertThat(again.exitCode()).as("stderr: %s", again.err()).isZero();
        JsonNode second = new ObjectMapper().readTree(dir.resolve("a.json").toFile());
        assertThat(second.get("baseline").asDouble()).isEqualTo(root.get("baseline").asDouble());
        assertThat(second.get("allocation").isNull()).isTrue();
    }

    @Test
    void badGridTargetAndModelAreUsageErrors() {
        CliRun grid = CliRun.of("sensitivity", "--data", "embedded", "--grid", "0.5,1.0", "--out", dir.resolve("a").toString());
        assertThat(grid.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(grid.err()).contains("--grid[1] must be in [0, 1), found 1");

        CliRun empty = CliRun.of("sensitivity", "--data", "embedded", "--grid", "0.5,0.4", "--out", dir.resolve("b").toString());
        assertThat(empty.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(empty.err()).contains("strictly increasing");

        CliRun missing = CliRun.of("sensitivity", "--data", "embedded", "--model", dir.resolve("nope.zip").toString(),
                "--out", dir.resolve("c").toString());
        assertThat(missing.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(missing.err()).contains("--model: file not found");

        CliRun target = CliRun.of("sensitivity", "--data", "embedded", "--target", "1.2", "--out", dir.resolve("d").toString());
        assertThat(target.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(target.err()).contains("--target must be in [0, 1), found 1.2");
    }
}
