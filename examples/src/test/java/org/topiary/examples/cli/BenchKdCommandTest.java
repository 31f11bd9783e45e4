package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code topiary bench kd} on the embedded subset: a tiny teacher, a few minibatches per epoch. */
@Timeout(180)
class BenchKdCommandTest {
    @TempDir Path dir;

    @Test
    void benchWritesTheTableAndJson() throws Exception {
        Path json = dir.resolve("kd.json");
        CliRun run = CliRun.of("bench", "kd", "--data", "embedded", "--epochs", "1", "--max-batches", "2",
                "--seeds", "1", "--students", "784-32-10", "--arms", "kd,cost", "--cost-reps", "1",
                "--teacher", DistillCommandTest.tinyTeacher(dir).toString(), "--threads", "1",
                "--out", dir.resolve("out").toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("| kd | 784-32-10 | 3 | 0.3 |").contains("Cost");
        assertThat(dir.resolve("out").resolve("bench-kd.md")).exists();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-kd");
        assertThat(root.get("command").asText()).isEqualTo("bench kd");
        assertThat(root.get("runs")).hasSize(2);
        assertThat(root.get("cost").get("cached_ratio").asDouble()).isPositive();
        assertThat(root.get("options").get("teacher_train_on").asText()).isEqualTo("all");
        assertThat(root.get("options").get("split_seed").asLong()).isEqualTo(1);
        assertThat(root.get("teacher").get("validation_accuracy").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void teacherTrainOnAcceptsOnlyAllOrSplitAndNamesTheOption() {
        CliRun run = CliRun.of("bench", "kd", "--teacher-train-on", "validation");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("teacherTrainOn must be one of [all, split], found 'validation'");
    }

    @Test
    void unknownArmIsAUsageError() {
        CliRun run = CliRun.of("bench", "kd", "--arms", "kd,distill");
        assertThat(run.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(run.err()).contains("unknown arm 'distill'; arms: [teacher, teacher-stats, sweep, aug, kd, pd, cost]");
    }
}
