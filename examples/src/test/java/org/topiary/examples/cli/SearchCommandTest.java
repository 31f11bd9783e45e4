package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.topiary.examples.report.JsonReport;
import org.topiary.examples.search.SearchReport;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.json.SparsityJson;

/** {@code topiary search} on the embedded subset with 1-epoch candidates, and its usage errors. */
@Timeout(900) // a hang guard; the class takes ~30 s on a quiet 2-core machine, 10x that under heavy load
class SearchCommandTest {
    @TempDir Path dir;

    @Test
    void threeCandidateSearch_writesTableParetoAndABestConfigThatPruneAccepts() throws Exception {
        Path out = dir.resolve("search");
        Path json = dir.resolve("s.json");
        CliRun run = CliRun.of("search", "--data", "embedded", "--epochs", "1", "--budget", "3",
                "--sparsity-range", "0.5:0.8", "--min-sparsity", "0.5", "--l1", "none,proximal",
                "--allocations", "layer,global,sensitivity",
                "--threads", "1", "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("Sensitivity: curves of 3 tensors", "candidate 0:", "candidate 2 done",
                "Final: test accuracy");

        String table = Files.readString(out.resolve(SearchReport.TABLE));
        assertThat(table.lines().filter(l -> l.matches("\\| \\d.*"))).hasSize(3);
        assertThat(Files.size(out.resolve(SearchReport.PARETO))).isGreaterThan(1000);
        assertThat(Files.size(out.resolve(SearchReport.PARETO_LATENCY))).isGreaterThan(1000);
        assertThat(Files.readString(out.resolve(SearchReport.CSV)).lines()).hasSize(4);

        JsonNode root = JsonReport.read(json);
        JsonNode search = root.get("search");
        assertThat(search.get("candidates")).hasSize(3);
        int best = search.get("best_index").asInt();
        JsonNode bestNode = search.get("candidates").get(best);
        assertThat(bestNode.get("status").asText()).isEqualTo("complete");
        assertThat(search.get("pareto_indices").size()).isBetween(1, 3);
        assertThat(search.get("operating_sparsity").isNull()).isTrue();
        assertThat(root.get("runs").get(0).get("name").asText()).isEqualTo("search-best");
        assertThat(search.get("final_test_accuracy").asDouble()).isEqualTo(root.get("runs").get(0).get("test_accuracy").asDouble());

        Path config = out.resolve(SearchReport.BEST_CONFIG);
        PruningConfig parsed = SparsityJson.configFromJson(Files.readString(config));
        assertThat(parsed.schedule().finalSparsity())
                .isEqualTo(bestNode.get("settings").get("final_sparsity").asDouble());
        JsonNode settings = JsonReport.read(out.resolve(SearchReport.BEST_SETTINGS));
        assertThat(settings.get("schema").asText()).isEqualTo(SearchReport.SETTINGS_SCHEMA);

        CliRun prune = CliRun.of("prune", "--data", "embedded", "--epochs", "1", "--config", config.toString(),
                "--out", dir.resolve("prune").toString());
        assertThat(prune.exitCode()).as("stderr: %s", prune.err()).isZero();
    }

    @Test
    void latencyBoundedNeuronSearch_recordsShrunkShapeAndLatency() throws Exception {
        Path out = dir.resolve("latency");
        Path json = dir.resolve("l.json");
        CliRun run = CliRun.of("search", "--data", "embedded", "--epochs", "1", "--budget", "2",
                "--sparsity-range", "0.5:0.5", "--min-sparsity", "0.4", "--l1", "none", "--allocations", "layer,sensitivity",
                "--patterns", "neurons", "--max-latency-ms", "1000", "--max-latency-ratio", "0.95",
                "--threads", "1", "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        // neurons candidates prune layer by layer: no sensitivity analysis is run for them
        assertThat(run.out()).doesNotContain("Sensitivity:");
        assertThat(run.out()).contains("latency <= 1000.0 ms, latency ratio <= 0.95", "pattern: neurons",
                "Latency of each candidate's shrunk network: batch 256", "shrunk 784-150-50-10 (125810 params)");
        assertThat(Files.readString(out.resolve(SearchReport.TABLE))).contains("| latency (ms) |", "| 784-150-50-10 | 125810 |");

        JsonNode search = JsonReport.read(json).get("search");
        assertThat(search.get("max_latency_ms").asDouble()).isEqualTo(1000.0);
        assertThat(search.get("max_latency_ratio").asDouble()).isEqualTo(0.95);
        assertThat(search.get("latency_probe").get("rounds").asInt()).isEqualTo(5);
        JsonNode c = search.get("candidates").get(0);
        assertThat(c.get("settings").get("pattern").asText()).isEqualTo("neurons");
        assertThat(c.get("shrunk_shape").asText()).isEqualTo("784-150-50-10");
        assertThat(c.get("shrunk_params").asLong()).isEqualTo(125_810);
        assertThat(c.get("latency_ms").asDouble()).isPositive();
        assertThat(c.get("dense_latency_ms").asDouble()).isPositive();
        assertThat(c.get("latency_ratio").asDouble()).isPositive();
        // the final run (full training set) is shrunk and timed the same way
        assertThat(search.get("final_shrunk_shape").asText()).isEqualTo("784-150-50-10");
        assertThat(search.get("final_shrunk_params").asLong()).isEqualTo(125_810);
        assertThat(search.get("final_latency_ratio").asDouble()).isPositive();
        assertThat(run.out()).containsPattern("Final: test accuracy .* shrunk 784-150-50-10 \\(125810 params\\)");
    }

    @Test
    void negativeOrNanLatencyBound_isAUsageErrorNamingTheOption() {
        CliRun ms = CliRun.of("search", "--data", "embedded", "--max-latency-ms", "-1", "--out", dir.resolve("x").toString());
        assertThat(ms.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(ms.err()).contains("--max-latency-ms must be > 0 and finite, found -1.0");
        CliRun ratio = CliRun.of("search", "--data", "embedded", "--max-latency-ratio", "NaN", "--out", dir.resolve("y").toString());
        assertThat(ratio.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(ratio.err()).contains("--max-latency-ratio must be > 0 and finite, found NaN");
        CliRun pattern = CliRun.of("search", "--data", "embedded", "--patterns", "unstructured,rows", "--out", dir.resolve("z").toString());
        assertThat(pattern.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(pattern.err()).contains("pattern must be one of unstructured, neurons, found 'rows'");
    }

    @Test
    void trainTeacher_trainsItOnceOnTheTrainingPart_andSearchesDistillation() {
        Path out = dir.resolve("kd");
        CliRun run = CliRun.of("search", "--data", "embedded", "--epochs", "1", "--budget", "2", "--train-teacher",
                "--teacher-epochs", "1", "--teacher-model", "lenet300100", "--sparsity-range", "0.5:0.6", "--min-sparsity", "0.5", "--l1", "none",
                "--allocations", "global", "--threads", "1", "--out", out.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("Training the lenet300100 teacher for 1 epochs on the 9000 training-part images",
                "distillation: [false, true]", "candidate 1 done");
        assertThat(out.resolve(SearchCommand.TEACHER_FILE)).isRegularFile();
    }

    @Test
    void teacherFileAndTrainTeacher_isAUsageError() {
        CliRun run = CliRun.of("search", "--data", "embedded", "--teacher", "t.zip", "--train-teacher",
                "--out", dir.resolve("x").toString());
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("either --teacher FILE or --train-teacher");
    }

    @Test
    void badBudget_isAUsageErrorNamingTheForms() {
        CliRun run = CliRun.of("search", "--data", "embedded", "--budget", "soon", "--out", dir.resolve("x").toString());
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("budget must be a candidate count (e.g. 12) or a duration");
    }

    @Test
    void unknownAllocation_isAUsageErrorListingTheModes() {
        CliRun run = CliRun.of("search", "--data", "embedded", "--allocations", "layer,magic",
                "--out", dir.resolve("x").toString());
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("allocation must be one of layer, global, sensitivity");
    }

    @Test
    void operatingPointSensitivity_allocatesEveryCandidateFromTheSurvivors() throws Exception {
        Path out = dir.resolve("op");
        Path json = dir.resolve("op.json");
        CliRun run = CliRun.of("search", "--data", "embedded", "--epochs", "1", "--budget", "2",
                "--sparsity-range", "0.85:0.9", "--min-sparsity", "0.8", "--l1", "none", "--allocations", "sensitivity",
                "--operating-sparsity", "0.8", "--recovery-steps", "3",
                "--threads", "1", "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("training the operating point", "operating point at sparsity 0.8000",
                "survivor curves of 3 tensors (3 recovery steps per point)");
        JsonNode search = JsonReport.read(json).get("search");
        assertThat(search.get("operating_sparsity").asDouble()).isEqualTo(0.8);
        JsonNode bestNode = search.get("candidates").get(search.get("best_index").asInt());
        assertThat(bestNode.get("status").asText()).isEqualTo("complete");

        PruningConfig config = SparsityJson.configFromJson(Files.readString(out.resolve(SearchReport.BEST_CONFIG)));
        java.util.Map<String, Long> sizes = java.util.Map.of("0_W", 235_200L, "1_W", 30_000L, "2_W", 1_000L);
        assertThat(config.overrides()).containsOnlyKeys(sizes.keySet());
        long planned = 0;
        for (var e : config.overrides().entrySet()) {
            planned += org.topiary.sparsity.MaskStrategy.countFor(e.getValue(), sizes.get(e.getKey()));
        }
        assertThat(planned).isEqualTo(Math.round(config.schedule().finalSparsity() * 266_200));
    }

    @Test
    void badOperatingPointOptionsAreUsageErrors() throws Exception {
        String[] base = {"search", "--data", "embedded", "--epochs", "1", "--budget", "1", "--sparsity-range", "0.85:0.9",
            "--allocations", "layer,sensitivity", "--out", dir.resolve("bad").toString()};
        assertSearchUsage("--operating-sparsity (0.9) must be < the --sparsity-range minimum (0.85)", base,
                "--operating-sparsity", "0.9");
        assertSearchUsage("--operating-sparsity must be in (0, 1), found 1.5", base, "--operating-sparsity", "1.5");
        assertSearchUsage("--recovery-steps needs --operating-sparsity", base, "--recovery-steps", "5");
        assertSearchUsage("--recovery-steps must be >= 1, found 0", base, "--operating-sparsity", "0.8", "--recovery-steps", "0");
        String[] wide = base.clone();
        wide[8] = "0.85:0.99";
        assertSearchUsage("--sparsity-range maximum (0.99) must be below 0.9800", wide, "--operating-sparsity", "0.8");
        Path dense = Files.writeString(dir.resolve("dense.zip"), "not read");
        assertSearchUsage("--dense-model cannot be combined with --operating-sparsity", base, "--operating-sparsity", "0.8",
                "--dense-model", dense.toString());
        String[] noSensitivity = base.clone();
        noSensitivity[10] = "layer,global";
        assertSearchUsage("--operating-sparsity is for --allocations sensitivity", noSensitivity, "--operating-sparsity", "0.8");
    }

    private static void assertSearchUsage(String message, String[] base, String... extra) {
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains(message);
    }
}
