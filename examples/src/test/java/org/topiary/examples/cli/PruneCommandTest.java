package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.topiary.examples.report.JsonReport;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.json.SparsityJson;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.dl4j.persist.RestoredModel;

/** {@code topiary prune} on the embedded subset, and its usage errors. */
@Timeout(180)
class PruneCommandTest {
    @TempDir Path dir;

    @Test
    void prunesToTheTargetAndSavesModelStateAndConfig() throws Exception {
        Path out = dir.resolve("run");
        Path json = dir.resolve("r.json");
        CliRun run = CliRun.of("prune", "--data", "embedded", "--epochs", "2", "--begin-epoch", "0", "--end-epoch", "1",
                "--frequency", "20", "--sparsity", "0.8", "--scope", "global", "--override", "out=0.5",
                "--threads", "1", "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("prune-80");

        JsonNode runNode = JsonReport.read(json).get("runs").get(0);
        assertThat(runNode.get("name").asText()).isEqualTo("prune-80");

        PruningConfig config = SparsityJson.configFromJson(Files.readString(out.resolve("pruning-config.json")));
        assertThat(config.scope()).isEqualTo(Scope.GLOBAL);
        assertThat(config.overrides()).containsEntry("out", 0.5);
        assertThat(config.window().endStep()).isEqualTo(79);

        RestoredModel restored = PrunedModels.restore(out.resolve("prune-80.zip"));
        assertThat(restored.state()).isPresent();
        MultiLayerNetwork net = (MultiLayerNetwork) restored.model();
        var report = ModelSparsity.report(net);
        assertThat(report.tensor("2_W").sparsity()).isEqualTo(0.5);
        long pooled = report.tensor("0_W").size() + report.tensor("1_W").size();
        long pooledZeros = report.tensor("0_W").zeros() + report.tensor("1_W").zeros();
        assertThat(pooledZeros).isEqualTo(Math.round(0.8 * pooled));
    }

    @Test
    void savedConfigIsAcceptedBack() {
        Path first = dir.resolve("a");
        assertThat(CliRun.of("prune", "--data", "embedded", "--epochs", "1", "--begin-epoch", "0", "--end-epoch", "1",
                "--sparsity", "0.5", "--out", first.toString()).exitCode()).isZero();
        CliRun again = CliRun.of("prune", "--data", "embedded", "--epochs", "1", "--config",
                first.resolve("pruning-config.json").toString(), "--out", dir.resolve("b").toString());
        assertThat(again.exitCode()).as("stderr: %s", again.err()).isZero();
        assertThat(again.out()).contains("prune-50");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        CliRun late = CliRun.of("prune", "--data", "embedded", "--epochs", "3", "--end-epoch", "5", "--out", dir.resolve("x").toString());
        assertThat(late.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(late.err()).contains("--end-epoch (5) must be <= --epochs (3)");

        CliRun dense = CliRun.of("prune", "--data", "embedded", "--sparsity", "1.5", "--out", dir.resolve("y").toString());
        assertThat(dense.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(dense.err()).contains("finalSparsity must be in [0, 1), found 1.5");

        CliRun scope = CliRun.of("prune", "--data", "embedded", "--scope", "tensor", "--out", dir.resolve("z").toString());
        assertThat(scope.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(scope.err()).contains("scope must be one of [layer, global], found 'tensor'");

        CliRun missing = CliRun.of("prune", "--data", "embedded", "--config", dir.resolve("nope.json").toString(), "--out", dir.resolve("w").toString());
        assertThat(missing.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(missing.err()).contains("--config: file not found");
    }

    @Test
    void unknownLayerInOverrideFailsWithTheAvailableLayers() {
        CliRun run = CliRun.of("prune", "--data", "embedded", "--epochs", "1", "--begin-epoch", "0", "--end-epoch", "1",
                "--override", "fc9=0.5", "--out", dir.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_FAILURE);
        assertThat(run.err()).contains("'fc9' (in overrides) matches no selected prunable layer").contains("fc1");
    }
}
