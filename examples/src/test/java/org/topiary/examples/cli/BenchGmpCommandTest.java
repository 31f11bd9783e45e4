package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench gmp} on the embedded subset, one seed, two short epochs. */
@Timeout(180)
class BenchGmpCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesPairedRunsWithSparsityOverheadAndHistory() throws Exception {
        Path json = dir.resolve("gmp.json");
        CliRun run = CliRun.of("bench", "gmp", "--data", "embedded", "--epochs", "2", "--seeds", "3",
                "--sparsities", "0.5", "--scopes", "layer", "--begin-epoch", "0", "--end-epoch", "1",
                "--threads", "1", "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("layer-50", "dense", "overhead");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-gmp");
        JsonNode runs = root.get("runs");
        assertThat(runs).hasSize(2);
        JsonNode dense = runs.get(0);
        JsonNode pruned = runs.get(1);
        assertThat(dense.get("name").asText()).isEqualTo("dense");
        assertThat(dense.get("sparsity").asDouble()).isLessThan(0.01);
        assertThat(pruned.get("name").asText()).isEqualTo("layer-50");
        assertThat(pruned.get("seed").asLong()).isEqualTo(3);
        for (JsonNode layer : pruned.get("layers")) {
            assertThat(layer.get("sparsity").asDouble()).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1.0 / layer.get("size").asDouble()));
        }
        assertThat(pruned.get("listener_seconds").asDouble()).isPositive();
        // CPU time is measured on this JVM (HotSpot on Linux supports thread CPU time)
        assertThat(pruned.get("listener_cpu_seconds").asDouble()).isPositive();
        assertThat(dense.get("train_cpu_seconds").asDouble()).isPositive();
        assertThat(dense.get("listener_cpu_seconds").asDouble()).isZero();
        assertThat(root.get("summary").get(1).get("median_listener_cpu_overhead").asDouble())
                .isEqualTo(pruned.get("listener_cpu_seconds").asDouble() / dense.get("train_cpu_seconds").asDouble());
        // collector pauses inside the listener are part of its wall time; the summary takes them out
        // of both sides
        double listenerGc = pruned.get("listener_gc_seconds").asDouble();
        assertThat(listenerGc).isBetween(0.0, pruned.get("listener_seconds").asDouble() + 0.001);
        assertThat(dense.get("listener_gc_seconds").asDouble()).isZero();
        assertThat(dense.get("train_gc_seconds").asDouble()).isBetween(0.0, dense.get("train_seconds").asDouble() + 0.001);
        assertThat(root.get("summary").get(1).get("median_listener_overhead_without_gc").asDouble())
                .isCloseTo((pruned.get("listener_seconds").asDouble() - listenerGc)
                        / (dense.get("train_seconds").asDouble() - dense.get("train_gc_seconds").asDouble()),
                        org.assertj.core.api.Assertions.within(1e-12));
        assertThat(pruned.get("history").size()).isPositive();
        assertThat(pruned.get("test_accuracy").asDouble()).isGreaterThan(0.5);
        for (String field : new String[] {"epochs", "nonzero_params", "train_seconds", "examples_per_second", "accuracy_per_epoch", "epoch_seconds"}) {
            assertThat(pruned.has(field)).as(field).isTrue();
        }
        assertThat(root.get("summary")).hasSize(2);
    }

    @Test
    void seedIsRefusedInFavourOfSeedsBeforeAnythingIsWritten() {
        Path out = dir.resolve("never");
        for (String bench : new String[] {"gmp", "reg", "kd", "struct", "nm", "alloc", "samediff", "parallel"}) {
            CliRun run = CliRun.of("bench", bench, "--data", "embedded", "--seed", "5", "--out", out.toString());
            assertThat(run.exitCode()).as(bench + " stderr: %s", run.err()).isEqualTo(TopiaryCli.EXIT_USAGE);
            assertThat(run.err()).as(bench).contains("'bench " + bench + "' trains the seeds of --seeds and ignores --seed");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void missingBenchmarkNameIsAUsageError() {
        CliRun run = CliRun.of("bench");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("Missing benchmark: choose one of gmp");
    }
}
