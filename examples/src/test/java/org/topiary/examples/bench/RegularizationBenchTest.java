package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Runs every arm of the benchmark for a few minibatches on the embedded subset. */
class RegularizationBenchTest {

    @Test
    void everyArmRunsAndTheJsonAndTableReportIt(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("reg.json");
        RegularizationBench.Result r = RegularizationBench.run("--embedded", "--seeds", "1", "--epochs", "2",
                "--max-batches", "4", "--prox-l1", "0.5", "--group", "1.0", "--l1-gmp", "0.5", "--decay-epoch", "1", "--decay-factor", "0.5",
                "--l1-layers", "0,1", "--ft-epoch", "1", "--aprox-l1", "0.01", "--agroup", "0.01", "--ramp-epochs", "1",
                "--rgroup", "1.0", "--reweight-epoch", "0", "--json", json.toString());
        assertThat(r.runs()).extracting(RegularizationBench.Run::arm)
                .containsExactly("dense", "prox-l1", "prox-group", "group-ft", "aprox-l1", "aprox-ft", "agroup", "agroup-ft",
                        "gmp", "l1-gmp", "rgroup-ft", "raprox-ft");
        assertThat(r.stepsPerEpoch()).isEqualTo(4);
        RegularizationBench.Run prox = r.runs().get(1);
        assertThat(prox.weightSparsity()).as("proximal L1 makes exact zeros").isGreaterThan(0.0);
        assertThat(prox.layerSparsity()[2]).as("no L1 on the output layer (--l1-layers 0,1)").isEqualTo(0.0);
        assertThat(r.runs().get(0).weightSparsity()).isEqualTo(0.0);
        RegularizationBench.Run ft = r.runs().get(3);
        assertThat(ft.arm()).isEqualTo("group-ft");
        assertThat(ft.weightSparsity()).as("zeros of the group phase are frozen (whole neurons)")
                .isEqualTo((ft.hiddenZeroIncoming()[0] * 784.0 + ft.hiddenZeroIncoming()[1] * 300.0) / 266200.0,
                        within(1e-12));
        RegularizationBench.Run aprox = r.runs().get(4);
        assertThat(aprox.weightSparsity()).as("Adam-aware proximal L1 makes exact zeros").isGreaterThan(0.0);
        assertThat(aprox.layerSparsity()[2]).as("--l1-layers 0,1 applies to it too").isEqualTo(0.0);
        RegularizationBench.Run aft = r.runs().get(5);
        assertThat(aft.layerSparsity()[2]).isEqualTo(0.0);
        RegularizationBench.Run agft = r.runs().get(7);
        assertThat(agft.weightSparsity()).as("Adam-aware group lasso zeroes whole neurons, then they are frozen")
                .isEqualTo((agft.hiddenZeroIncoming()[0] * 784.0 + agft.hiddenZeroIncoming()[1] * 300.0) / 266200.0,
                        within(1e-12));
        RegularizationBench.Run rgft = r.runs().get(10);
        assertThat(rgft.arm()).isEqualTo("rgroup-ft");
        assertThat(rgft.weightSparsity()).as("reweighted group lasso zeroes whole neurons, then they are frozen")
                .isEqualTo((rgft.hiddenZeroIncoming()[0] * 784.0 + rgft.hiddenZeroIncoming()[1] * 300.0) / 266200.0,
                        within(1e-12));
        RegularizationBench.Run raft = r.runs().get(11);
        assertThat(raft.arm()).isEqualTo("raprox-ft");
        assertThat(raft.weightSparsity()).as("reweighted Adam-aware L1 makes exact zeros").isGreaterThan(0.0);
        assertThat(raft.layerSparsity()[2]).as("--l1-layers 0,1 applies to it too").isEqualTo(0.0);
        for (RegularizationBench.Run run : r.runs()) {
            assertThat(run.shrunkAccuracy()).isCloseTo(run.accuracy(), within(0.002));
        }
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("schema").asText()).isEqualTo("topiary-bench-reg");
        assertThat(root.get("runs")).hasSize(12);
        assertThat(root.get("reweight_gamma").asDouble()).isEqualTo(1.0);
        assertThat(root.get("reweight_epoch").asInt()).isEqualTo(0);
        assertThat(root.get("rgroup_lambdas").get(0).asDouble()).isEqualTo(1.0);
        assertThat(root.get("ramp_epochs").asInt()).isEqualTo(1);
        assertThat(root.get("summary").get(1).get("arm").asText()).isEqualTo("prox-l1");
        assertThat(root.get("machine").get("logical_cpus").asInt()).isPositive();
        assertThat(root.get("decay_epoch").asInt()).isEqualTo(1);
        assertThat(root.get("runs").get(1).get("weight_sparsity").asDouble()).isEqualTo(prox.weightSparsity());
        assertThat(r.toMarkdown()).startsWith("| arm | λ | seeds |").contains("| prox-l1 | 0.5 | 1 |");
    }

    @Test
    void aValidationSplitTrainsOnTheRestAndReportsValidationAndTestAccuracy(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("reg.json");
        RegularizationBench.Result r = RegularizationBench.run("--embedded", "--seeds", "1", "--epochs", "2",
                "--max-batches", "3", "--arms", "dense,aprox-l1", "--aprox-l1", "0.01", "--threshold-cap", "1.5",
                "--validation-fraction", "0.2", "--json", json.toString());
        assertThat(r.hasValidation()).isTrue();
        assertThat(r.validationSize()).as("20% of the 10,000 embedded training images").isEqualTo(2000);
        assertThat(r.dataSource()).contains("train 8000 of 10000", "validation 2000");
        for (RegularizationBench.Run run : r.runs()) {
            assertThat(run.validationAccuracy()).as(run.arm()).isBetween(0.0, 1.0);
        }
        assertThat(r.runs().get(1).weightSparsity()).isPositive();
        assertThat(r.toMarkdown()).contains("| validation acc % | Δ val vs dense (pt) | test accuracy % |");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("validation_examples").asInt()).isEqualTo(2000);
        assertThat(root.get("threshold_cap").asDouble()).isEqualTo(1.5);
        assertThat(root.get("runs").get(0).get("validation_accuracy").asDouble())
                .isEqualTo(r.runs().get(0).validationAccuracy());

        RegularizationBench.Result none = RegularizationBench.run("--embedded", "--seeds", "1", "--epochs", "1",
                "--max-batches", "1", "--arms", "dense");
        assertThat(none.hasValidation()).isFalse();
        assertThat(none.runs().get(0).validationAccuracy()).isNaN();
        assertThat(none.toMarkdown()).doesNotContain("validation");
    }

    @Test
    void rangesOfTheCapAndTheValidationFractionAreChecked() {
        assertThatThrownBy(() -> RegularizationBench.Options.parse("--threshold-cap", "0"))
                .hasMessageContaining("--threshold-cap must be > 0");
        assertThatThrownBy(() -> RegularizationBench.Options.parse("--validation-fraction", "1"))
                .hasMessageContaining("--validation-fraction must be in [0, 1)");
        assertThatThrownBy(() -> RegularizationBench.Options.parse("--group-layer-factors", "1"))
                .hasMessageContaining("--group-layer-factors must be two finite factors >= 0 (fc1,fc2), found [1.0]");
        assertThat(RegularizationBench.Options.parse("--threshold-cap", "Infinity").thresholdCap())
                .isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void groupLayerFactorsScaleTheGroupLassoPerLayer() {
        RegularizationBench.Options o = RegularizationBench.Options.parse("--group-layer-factors", "1,2.5", "--ft-epoch", "3");
        assertThat(RegularizationBench.groupLambda(o, 100, 0.1, 0, true).valueAt(299, 2)).isCloseTo(0.1, within(1e-12));
        assertThat(RegularizationBench.groupLambda(o, 100, 0.1, 1, true).valueAt(299, 2)).isCloseTo(0.25, within(1e-12));
        assertThat(RegularizationBench.groupLambda(o, 100, 0.1, 1, true).valueAt(300, 3)).isEqualTo(0.0);
        assertThat(RegularizationBench.groupLambda(o, 100, 0.1, 1, false).valueAt(900, 9)).isCloseTo(0.25, within(1e-12));
        assertThat(RegularizationBench.Options.defaults().groupLayerFactors()).containsExactly(1.0, 1.0);
    }

    @Test
    void theAdamAwareGroupArmsTakeTheLayerFactorsAndTheStepCap() {
        RegularizationBench.Result r = RegularizationBench.run("--embedded", "--seeds", "1", "--epochs", "1",
                "--max-batches", "4", "--arms", "agroup", "--agroup", "0.05", "--group-layer-factors", "1,0",
                "--threshold-cap", "1");
        RegularizationBench.Run run = r.runs().get(0);
        assertThat(run.hiddenZeroIncoming()[0]).as("fc1 neurons zeroed with factor 1").isPositive();
        assertThat(run.hiddenZeroIncoming()[1]).as("no fc2 neuron zeroed with factor 0").isZero();
        assertThat(r.options().thresholdCap()).isEqualTo(1.0);
    }

    @Test
    void theReweightedArmTrainsDenseUntilItsReferenceEpochThenPenalizesUntilTheCut() {
        RegularizationBench.Options o = RegularizationBench.Options.parse("--reweight-epoch", "1", "--ft-epoch", "3");
        var l = RegularizationBench.reweightedLambda(o, 100, 0.2);
        assertThat(l.valueAt(99, 0)).isEqualTo(0.0);
        assertThat(l.valueAt(100, 1)).isCloseTo(0.2, within(1e-12));
        assertThat(l.valueAt(299, 2)).isCloseTo(0.2, within(1e-12));
        assertThat(l.valueAt(300, 3)).isEqualTo(0.0);
        var fromStart = RegularizationBench.reweightedLambda(
                RegularizationBench.Options.parse("--reweight-epoch", "0", "--ft-epoch", "3"), 100, 0.2);
        assertThat(fromStart.valueAt(0, 0)).isCloseTo(0.2, within(1e-12));
        assertThatThrownBy(() -> RegularizationBench.Options.parse("--arms", "rgroup-ft", "--reweight-epoch", "3",
                "--ft-epoch", "3")).hasMessageContaining("--reweight-epoch must be >= 0 and, with the rgroup-ft or raprox-ft arm, before"
                + " --ft-epoch (3), found 3");
        assertThatThrownBy(() -> RegularizationBench.Options.parse("--reweight-gamma", "-1"))
                .hasMessageContaining("--reweight-gamma must be >= 0 and finite, found -1.0");
    }

    @Test
    void unknownOptionsAndArmsListWhatExists() {
        assertThatThrownBy(() -> RegularizationBench.run("--arms", "dense,l2"))
                .hasMessage("unknown arm 'l2'; arms: [dense, prox-l1, prox-group, group-ft, aprox-l1, aprox-ft, agroup,"
                        + " agroup-ft, gmp, l1-gmp, rgroup-ft, raprox-ft]");
        assertThatThrownBy(() -> RegularizationBench.run("--speed", "1")).hasMessageStartingWith("unknown option --speed");
    }

    @Test
    void rampAndCutSchedulesHaveTheirKnotsAtEpochBoundaries() {
        RegularizationBench.Options o = RegularizationBench.Options.parse("--ramp-epochs", "2", "--ft-epoch", "3");
        var ramp = RegularizationBench.lambda(o, 100, 0.4);
        assertThat(ramp.valueAt(0, 0)).isEqualTo(0.0);
        assertThat(ramp.valueAt(100, 1)).isCloseTo(0.2, within(1e-12));
        assertThat(ramp.valueAt(250, 2)).isCloseTo(0.4, within(1e-12));
        var cut = RegularizationBench.phaseOne(o, 100, 0.4);
        assertThat(cut.valueAt(299, 2)).isCloseTo(0.4, within(1e-12));
        assertThat(cut.valueAt(300, 3)).isEqualTo(0.0);
        var noRamp = RegularizationBench.phaseOne(RegularizationBench.Options.parse("--ft-epoch", "3"), 100, 0.4);
        assertThat(noRamp.valueAt(0, 0)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void summariesArePairedWithTheDenseArmOfTheSameSeed() {
        var runs = java.util.List.of(
                new RegularizationBench.Run("dense", 0, 1, 0.90, 0.91, 0, new double[3], new long[2], 0, java.util.List.of(), 0.90, 1),
                new RegularizationBench.Run("dense", 0, 2, 0.80, 0.82, 0, new double[3], new long[2], 0, java.util.List.of(), 0.80, 1),
                new RegularizationBench.Run("prox-l1", 0.1, 1, 0.895, 0.90, 0.85, new double[3], new long[2], 0, java.util.List.of(), 0.895, 1),
                new RegularizationBench.Run("prox-l1", 0.1, 2, 0.79, 0.80, 0.83, new double[3], new long[2], 0, java.util.List.of(), 0.79, 1));
        var s = RegularizationBench.summarize(runs).get(1);
        assertThat(s.deltaAccuracyPoints()[0]).isCloseTo(-0.75, within(1e-9));
        assertThat(s.validationAccuracy()[0]).isCloseTo(0.85, within(1e-12));
        assertThat(s.deltaValidationPoints()[0]).as("(−1 − 2) / 2 points, paired per seed").isCloseTo(-1.5, within(1e-9));
        assertThat(s.medianSparsity()).isCloseTo(0.84, within(1e-12));
        assertThat(s.meetsTarget()).isTrue();
    }
}
