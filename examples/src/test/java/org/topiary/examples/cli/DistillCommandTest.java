package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.topiary.examples.report.JsonReport;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.persist.PrunedModels;

/** {@code topiary distill} on the embedded subset with a tiny teacher, and its usage errors. */
@Timeout(180)
class DistillCommandTest {
    @TempDir Path dir;

    /** A 784-10 softmax teacher, briefly trained would not matter: the command only reads it. */
    static Path tinyTeacher(Path dir) throws Exception {
        return tinyTeacher(dir, "teacher.zip", 1);
    }

    private static Path tinyTeacher(Path dir, String name, long seed) throws Exception {
        MultiLayerNetwork t = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(784).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        t.init();
        Path file = dir.resolve(name);
        ModelSerializer.writeModel(t, file.toFile(), false);
        return file;
    }

    @Test
    void extraTeachersAreAveragedWithTheTeacher() throws Exception {
        Path second = tinyTeacher(dir, "second.zip", 2);
        CliRun run = CliRun.of("distill", "--data", "embedded", "--epochs", "1", "--student", "mlp32",
                "--teacher", tinyTeacher(dir).toString(), "--extra-teachers", second.toString(),
                "--threads", "1", "--out", dir.resolve("ens").toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("Teacher: mean logits of 2 teachers (").contains("second.zip");

        CliRun missing = CliRun.of("distill", "--data", "embedded", "--teacher", tinyTeacher(dir).toString(),
                "--extra-teachers", dir.resolve("absent.zip").toString());
        assertThat(missing.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(missing.err()).contains("--extra-teachers: file not found:").contains("absent.zip");
    }

    @Test
    void distilsAStudentAndSavesItWithItsSoftmaxHead() throws Exception {
        Path out = dir.resolve("run");
        Path json = dir.resolve("d.json");
        CliRun run = CliRun.of("distill", "--data", "embedded", "--epochs", "1", "--student", "mlp32",
                "--teacher", tinyTeacher(dir).toString(), "--temperature", "3", "--alpha", "0.5",
                "--threads", "1", "--out", out.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("Teacher: ").contains("kd-mlp32");

        JsonNode runNode = JsonReport.read(json).get("runs").get(0);
        assertThat(runNode.get("name").asText()).isEqualTo("kd-mlp32");
        assertThat(runNode.get("test_accuracy").asDouble()).isBetween(0.0, 1.0);
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(out.resolve("kd-mlp32.zip").toFile());
        assertThat(((OutputLayer) saved.getOutputLayer().conf().getLayer()).getActivationFn())
                .isInstanceOf(ActivationSoftmax.class);
    }

    @Test
    void pruneAndDistillWithAnOnlineTeacher() throws Exception {
        Path out = dir.resolve("pd");
        CliRun run = CliRun.of("distill", "--data", "embedded", "--epochs", "7", "--student", "mlp32",
                "--teacher", tinyTeacher(dir).toString(), "--teacher-mode", "online", "--prune", "0.5",
                "--threads", "1", "--out", out.toString());
        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        MultiLayerNetwork net = (MultiLayerNetwork) PrunedModels.restore(out.resolve("kd-mlp32-gmp-50.zip")).model();
        assertThat(ModelSparsity.report(net).tensor("0_W").sparsity()).isEqualTo(0.5);
    }

    @Test
    void missingTeacherAndBadSettingsAreUsageErrors() {
        CliRun missing = CliRun.of("distill", "--data", "embedded", "--teacher", dir.resolve("none.zip").toString());
        assertThat(missing.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(missing.err()).contains("--teacher: file not found:").contains("--train-teacher");
        CliRun alpha = CliRun.of("distill", "--teacher", "t.zip", "--alpha", "2");
        assertThat(alpha.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(alpha.err()).contains("alpha must be in [0, 1], found 2");
        CliRun noTeacher = CliRun.of("distill");
        assertThat(noTeacher.exitCode()).isEqualTo(TopiaryCli.EXIT_USAGE);
        assertThat(noTeacher.err()).contains("--teacher");
    }
}
