package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Runs every arm of the benchmark for a few batches on the embedded subset. */
class DistillationBenchTest {

    /** A 784-10 softmax teacher, so the smoke run does not pay for the CNN. */
    private static Path tinyTeacher(Path dir) throws Exception {
        MultiLayerNetwork t = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(784).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        t.init();
        Path file = dir.resolve("teacher.zip");
        ModelSerializer.writeModel(t, file.toFile(), false);
        return file;
    }

    @Test
    void everyArmRunsAndTheJsonHoldsEveryRun(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/kd.json");
        DistillationBench.Result r = DistillationBench.run(
                "--embedded", "--max-batches", "2", "--epochs", "1", "--seeds", "1,2", "--cost-reps", "1",
                "--teacher", tinyTeacher(dir).toString(), "--arms", "sweep,kd,pd,cost", "--sweep-t", "2",
                "--sweep-alpha", "0.5", "--pd-kd-epochs", "1-1", "--json", json.toString());

        assertThat(r.teacher().trainedNow()).isFalse();
        assertThat(r.runs()).extracting(DistillationBench.Run::arm)
                .contains("sweep-plain", "sweep-kd-T2-a0.5", "plain", "kd", "gmp", "gmp-kd");
        assertThat(r.runs("kd", "lenet-300-100")).extracting(DistillationBench.Run::seed).containsExactly(1L, 2L);
        assertThat(r.runs("kd", "784-32-10")).hasSize(2).allMatch(x -> x.accuracy() > 0 && x.accuracy() <= 1);
        assertThat(r.cost().cachedRatio()).isPositive();
        assertThat(r.toMarkdown()).contains("| kd | lenet-300-100 | 3 | 0.3 |").contains("vs plain").contains("Cost");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-kd");
        assertThat(root.get("version").asInt()).isEqualTo(1);
        assertThat(root.get("runs")).hasSize(r.runs().size());
        assertThat(root.get("runs").get(0).has("test_accuracy")).isTrue();
        assertThat(root.get("cost").get("online_ratio").asDouble()).isPositive();
        assertThat(root.get("teacher").get("trained_in_this_run").asBoolean()).isFalse();
        assertThat(root.get("options").get("pd_kd_last_epoch").asInt()).isEqualTo(1);
    }

    @Test
    void augmentationArmsPairEachVariantWithItsControlAndTeacherStatsAreReported(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("aug.json");
        DistillationBench.Result r = DistillationBench.run(
                "--embedded", "--max-batches", "2", "--epochs", "1", "--seeds", "1", "--teacher",
                tinyTeacher(dir).toString(), "--arms", "teacher-stats,aug", "--aug-on", "validation",
                "--shift-cache", dir.resolve("shifts.logits").toString(), "--json", json.toString());

        assertThat(r.runs()).extracting(DistillationBench.Run::arm)
                .containsExactly("val-plain", "val-kd", "val-kd-tta", "val-plain-shift", "val-kd-shift");
        assertThat(r.runs()).allMatch(x -> x.accuracy() > 0 && x.accuracy() <= 1);
        assertThat(r.teacherStats()).extracting(DistillationBench.TeacherStats::images)
                .containsExactly("training", "training", "test", "test");
        assertThat(r.teacherStats().get(0).count()).isEqualTo(10_000);
        assertThat(r.toMarkdown()).contains("vs val-plain-shift").contains("| val-kd-tta | lenet-300-100 | 3 | 0.3 |")
                .contains("mean over 9 shifts");
        assertThat(dir.resolve("shifts.logits")).exists();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("teacher_stats")).hasSize(4);
        assertThat(root.get("teacher_stats").get(0).get("mean_max_probability")).hasSize(4);
        assertThat(root.get("options").get("shift_radius").asInt()).isEqualTo(1);
        assertThat(root.get("options").get("aug_arms")).hasSize(5);
        // a second run opens the cache file instead of computing it again
        DistillationBench.Result again = DistillationBench.run(
                "--embedded", "--max-batches", "1", "--epochs", "1", "--seeds", "1", "--teacher",
                tinyTeacher(dir).toString(), "--arms", "aug", "--aug-arms", "kd-shift",
                "--shift-cache", dir.resolve("shifts.logits").toString());
        assertThat(again.runs()).extracting(DistillationBench.Run::arm).containsExactly("kd-shift");
    }

    @Test
    void extraTeachersMakeAnEnsembleWhoseAccuracyTheStatisticsReport(@TempDir Path dir) throws Exception {
        Path a = tinyTeacher(Files.createDirectories(dir.resolve("a")));
        Path b = tinyTeacher(Files.createDirectories(dir.resolve("b")));
        DistillationBench.Result one = DistillationBench.run("--embedded", "--teacher", a.toString(), "--arms",
                "teacher-stats", "--seeds", "1");
        DistillationBench.Result two = DistillationBench.run("--embedded", "--teacher", a.toString(),
                "--extra-teachers", b.toString(), "--arms", "teacher-stats", "--seeds", "1");
        // the same network twice: the mean of its logits is its logits
        assertThat(two.teacherStats()).extracting(DistillationBench.TeacherStats::images)
                .containsExactly("training", "test");
        assertThat(two.teacherStats().get(1).accuracy()).isEqualTo(one.teacherStats().get(1).accuracy());
        assertThat(two.teacher().teachers()).isEqualTo(2);
        assertThat(one.teacher().teachers()).isEqualTo(1);
        assertThat(one.teacher().ensembleTestAccuracy()).isEqualTo(one.teacher().testAccuracy());
        assertThat(two.teacher().ensembleTestAccuracy()).isEqualTo(one.teacher().testAccuracy());
        assertThat(two.teacher().ensembleValidationAccuracy()).isEqualTo(one.teacher().validationAccuracy());
        assertThat(two.options().extraTeachers()).containsExactly(b);
        assertThatThrownBy(() -> DistillationBench.run("--extra-teachers", dir.resolve("none.zip").toString()))
                .hasMessageContaining("extra teacher").hasMessageContaining("not found");
    }

    @Test
    void teacherTrainedOnTheSplitTrainsOnlyOnItsTrainingPartAndReportsItsValidationAccuracy(@TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("teacher.json");
        Path file = dir.resolve("split-teacher.zip");
        DistillationBench.Result r = DistillationBench.run("--embedded", "--arms", "teacher", "--teacher", file.toString(),
                "--teacher-epochs", "1", "--max-batches", "1", "--teacher-train-on", "split", "--split-seed", "1",
                "--json", json.toString());

        assertThat(file).isRegularFile();
        assertThat(r.runs()).isEmpty();
        assertThat(r.teacher().trainedNow()).isTrue();
        assertThat(r.teacher().trainOn()).isEqualTo("split");
        assertThat(r.teacher().cachedExamples()).isZero();
        assertThat(r.teacher().validationAccuracy()).isBetween(0.0, 1.0);
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("teacher").get("train_on").asText()).isEqualTo("split");
        assertThat(root.get("teacher").get("validation_accuracy").asDouble()).isEqualTo(r.teacher().validationAccuracy());
        assertThat(root.get("teacher").get("teachers").asInt()).isEqualTo(1);
        assertThat(root.get("options").get("split_seed").asLong()).isEqualTo(1);
        assertThat(root.get("options").get("teacher_train_on").asText()).isEqualTo("split");
    }

    @Test
    void theSplitTeacherSeesExactlyTheImagesTheSweepTrainsOn() {
        org.topiary.examples.data.FashionMnist data = org.topiary.examples.data.FashionMnist.embedded();
        DistillationBench.Options split = DistillationBench.Options.parse("--teacher-train-on", "split", "--split-seed", "1");
        org.topiary.examples.data.TrainValidationSplit s = DistillationBench.validationSplit(data, split);
        org.topiary.examples.data.LabeledImages teacherImages = DistillationBench.teacherImages(data, s, split);

        assertThat(teacherImages).isSameAs(s.train());
        // the sweep's split (FashionMnist.split(0.1, splitSeed)), image for image
        org.topiary.examples.data.TrainValidationSplit sweep = data.split(0.1, 1);
        assertThat(teacherImages.size()).isEqualTo(sweep.train().size());
        assertThat(teacherImages.size() + s.validation().size()).isEqualTo(data.trainSize());
        assertThat(s.validation().size()).isBetween(data.trainSize() / 10 - 10, data.trainSize() / 10 + 10);
        for (int i = 0; i < teacherImages.size(); i++) {
            assertThat(teacherImages.image(i)).isEqualTo(sweep.train().image(i));
            assertThat(teacherImages.label(i)).isEqualTo(sweep.train().label(i));
        }
        DistillationBench.Options all = DistillationBench.Options.parse("--split-seed", "1");
        assertThat(DistillationBench.teacherImages(data, s, all).size()).isEqualTo(data.trainSize());
    }

    @Test
    void teacherStatsAreAccuracyAndMeanMaxProbabilityPerTemperature() {
        // two examples, two classes, logits (0, ln 3): p = (1/4, 3/4) at T = 1, (1, √3)/(1 + √3) at T = 2
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.create(new float[][] {{1, 0}, {0, 1}});
        org.nd4j.linalg.api.ndarray.INDArray y = org.nd4j.linalg.factory.Nd4j.create(new float[][] {{0, 1}, {1, 0}});
        org.topiary.distill.TeacherSource t = new org.topiary.distill.TeacherSource() {
            @Override
            public org.nd4j.linalg.api.ndarray.INDArray logits(org.nd4j.linalg.api.ndarray.INDArray f) {
                return org.nd4j.linalg.factory.Nd4j.create(new float[][] {{0, (float) Math.log(3)}, {0, (float) Math.log(3)}});
            }

            @Override
            public long numClasses() {
                return 2;
            }
        };
        DistillationBench.TeacherStats s = DistillationBench.teacherStats("toy", "fixed", t,
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                        new org.nd4j.linalg.dataset.DataSet(x, y).asList(), 2));
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.accuracy()).isEqualTo(0.5);
        assertThat(s.meanMaxProbability()[0]).isCloseTo(0.75, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(s.meanMaxProbability()[1]).isCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)),
                org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void gmpScheduleIsTheProtocolsOnTheFullSet() {
        assertThat(DistillationBench.gmp(469)).isEqualTo(org.topiary.sparsity.PruningConfig.gradual(0.9, 469, 3283, 100));
    }

    @Test
    void unknownArgumentsAndArmsAreRejected() {
        assertThatThrownBy(() -> DistillationBench.run("--arms", "kd,bogus"))
                .hasMessage("unknown arm 'bogus'; arms: [teacher, teacher-stats, sweep, aug, kd, pd, cost]");
        assertThatThrownBy(() -> DistillationBench.run("--teacher-train-on", "validation"))
                .hasMessageStartingWith("teacherTrainOn must be one of [all, split], found 'validation'");
        assertThatThrownBy(() -> DistillationBench.run("--students", "resnet"))
                .hasMessageContaining("unknown student 'resnet'");
        assertThatThrownBy(() -> DistillationBench.run("--pd-kd-epochs", "8"))
                .hasMessage("--pd-kd-epochs needs FIRST-LAST (1-based), found 8");
        assertThatThrownBy(() -> DistillationBench.run("--frobnicate", "1"))
                .hasMessageContaining("unknown argument '--frobnicate'");
        assertThatThrownBy(() -> DistillationBench.run("--aug-arms", "kd,mixup"))
                .hasMessageContaining("unknown aug arm 'mixup'");
        assertThatThrownBy(() -> DistillationBench.run("--aug-on", "train"))
                .hasMessage("augOn must be validation or test, found train");
        assertThatThrownBy(() -> DistillationBench.run("--shift-radius", "0"))
                .hasMessage("shiftRadius must be in 1..3 pixels, found 0");
    }
}
