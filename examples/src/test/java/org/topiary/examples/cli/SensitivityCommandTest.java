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

    @Test
    void operatingPointMode_prunesOnlyFromTheSurvivors_meetsTheTargetExactly_andPruneAcceptsTheConfig() throws Exception {
        Path out = dir.resolve("op");
        Path json = dir.resolve("op.json");
        CliRun run = CliRun.of("sensitivity", "--data", "embedded", "--epochs", "2", "--begin-epoch", "0", "--end-epoch", "1",
                "--frequency", "10", "--operating-sparsity", "0.8", "--recovery-steps", "3", "--grid", "0.3,0.6,0.9",
                "--target", "0.9", "--threads", "1", "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("operating point epoch 2/2", "sensitivity [1/3] 0_W", "survivors", "mode operating-point");
        assertThat(out.resolve("operating-point.zip")).isNotEmptyFile();
        assertThat(out.resolve("sensitivity.png")).isNotEmptyFile();

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("mode").asText()).isEqualTo("operating-point");
        assertThat(root.get("operating_sparsity").asDouble()).isEqualTo(0.8);
        assertThat(root.get("operating_point").get("recovery_steps").asInt()).isEqualTo(3);
        JsonNode survivorsNode = root.get("operating_point").get("survivors");
        long survivorsTotal = 0;
        for (String id : SIZES.keySet()) {
            survivorsTotal += survivorsNode.get(id).asLong();
        }
        assertThat(survivorsTotal).isEqualTo(266_200 - MaskStrategy.countFor(0.8, 266_200));
        JsonNode firstCurve = root.get("curves").get(0);
        assertThat(firstCurve.get("size").asLong()).isEqualTo(survivorsNode.get("0_W").asLong());
        assertThat(firstCurve.get("tensor_size").asLong()).isEqualTo(235_200L);
        assertThat(root.get("allocation").get("total_pruned").asLong()).isEqualTo(Math.round(0.9 * 266_200));

        PruningConfig config = SparsityJson.configFromJson(Files.readString(out.resolve("pruning-config.json")));
        assertThat(config.overrides()).containsOnlyKeys("0_W", "1_W", "2_W");
        long planned = 0;
        for (Map.Entry<String, Double> e : config.overrides().entrySet()) {
            long size = SIZES.get(e.getKey());
            long pruned = MaskStrategy.countFor(e.getValue(), size);
            planned += pruned;
            assertThat(size - pruned).as("kept of %s", e.getKey()).isLessThanOrEqualTo(survivorsNode.get(e.getKey()).asLong());
        }
        assertThat(planned).isEqualTo(Math.round(0.9 * 266_200));

        Path pruned = dir.resolve("op-pruned");
        CliRun prune = CliRun.of("prune", "--data", "embedded", "--epochs", "1", "--threads", "1",
                "--config", out.resolve("pruning-config.json").toString(), "--out", pruned.toString());
        assertThat(prune.exitCode()).as("stderr: %s", prune.err()).isZero();
        MultiLayerNetwork net = (MultiLayerNetwork) PrunedModels.restore(pruned.resolve("prune-90.zip")).model();
        SparsityReport report = ModelSparsity.report(net);
        long zeros = report.tensor("0_W").zeros() + report.tensor("1_W").zeros() + report.tensor("2_W").zeros();
        assertThat(zeros).isEqualTo(Math.round(0.9 * 266_200));
    }

    @Test
    void denseMode_saysSoInTheJson() throws Exception {
        Path json = dir.resolve("d.json");
        CliRun run = CliRun.of("sensitivity", "--data", "embedded", "--epochs", "1", "--grid", "0.5", "--threads", "1",
                "--out", dir.resolve("d").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("mode").asText()).isEqualTo("dense");
        assertThat(root.get("operating_sparsity").isNull()).isTrue();
        assertThat(root.get("curves").get(0).get("tensor_size").asLong()).isEqualTo(235_200L);
    }

    @Test
    void badOperatingPointOptionsAreUsageErrorsNamingTheOption() throws Exception {
        assertUsageError("--operating-sparsity must be in (0, 1), found 1.2", "--operating-sparsity", "1.2");
        assertUsageError("--operating-sparsity (0.9) must be < --target (0.8)", "--operating-sparsity", "0.9", "--target", "0.8");
        assertUsageError("--recovery-steps must be >= 1, found 0", "--operating-sparsity", "0.8", "--recovery-steps", "0");
        assertUsageError("--grid[0] must be in (0, 1) (a fraction of each tensor's survivors to prune further), found 0.0",
                "--operating-sparsity", "0.8", "--grid", "0,0.5");
        assertUsageError("--grid[1] must be in (0, 1)", "--operating-sparsity", "0.8", "--grid", "0.5,1.0");
        assertUsageError("strictly increasing", "--operating-sparsity", "0.8", "--grid", "0.5,0.4");
        assertUsageError("--recovery-steps needs --operating-sparsity", "--recovery-steps", "5");
        assertUsageError("--target 0.99 is beyond what the survivor curves reach from --operating-sparsity 0.8 with --grid up to 0.9",
                "--operating-sparsity", "0.8", "--target", "0.99");
        assertUsageError("--target 0.98005 is beyond what the survivor curves reach", "--operating-sparsity", "0.8",
                "--target", "0.98005");
        assertUsageError("--end-epoch (7) must be <= --epochs (3)", "--operating-sparsity", "0.8", "--epochs", "3");
        Path model = Files.writeString(dir.resolve("model.zip"), "not read");
        assertUsageError("--model cannot be combined with --operating-sparsity", "--operating-sparsity", "0.8",
                "--model", model.toString());
    }

    private void assertUsageError(String message, String... options) {
        String[] args = new String[options.length + 5];
        args[0] = "sensitivity";
        args[1] = "--data";
        args[2] = "embedded";
        args[3] = "--out";
        args[4] = dir.resolve("usage").toString();
        System.arraycopy(options, 0, args, 5, options.length);
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains(message);
    }
}
