package org.topiary.sparsity.dl4j.auto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.auto.Allocation;
import org.topiary.sparsity.auto.SensitivityCurve;
import org.topiary.sparsity.auto.SparsityAllocator;
import org.topiary.sparsity.dl4j.SelectionException;
import org.topiary.sparsity.dl4j.testkit.TestNets;

class SensitivityAnalysisTest {

    private static TestNets.Fixture trained(TestNets.Arch arch) {
        TestNets.Fixture f = TestNets.build(arch, new Adam(1e-2), false, 12345);
        for (int i = 0; i < 3; i++) {
            f.fitOnce();
        }
        return f;
    }

    /** Minus the number of exact zeros among all params: tells which count each point pruned. */
    private static final ToDoubleFunction<Model> MINUS_ZEROS = m -> {
        float[] p = m.params().dup().reshape(m.params().length()).toFloatVector();
        int zeros = 0;
        for (float v : p) {
            if (v == 0f) {
                zeros++;
            }
        }
        return -zeros;
    };

    private static long zeros(Model m) {
        return (long) -MINUS_ZEROS.applyAsDouble(m);
    }

    @Test
    void multiLayerNetwork_prunesEachTensorAloneAtEachGridPoint_andRestoresEveryBit() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        float[] before = f.model().params().dup().toFloatVector();
        long zerosBefore = zeros(f.model());
        double[] grid = {0.0, 0.25, 0.5, 0.95};
        List<SensitivityCurve> curves = SensitivityAnalysis.builder().setEvaluator(MINUS_ZEROS).optGrid(grid).build().run(f.model());

        assertThat(curves).extracting(SensitivityCurve::tensorId).containsExactly("0_W", "1_W", "2_W");
        for (SensitivityCurve c : curves) {
            assertThat(c.baseline()).isEqualTo(-zerosBefore);
            for (int j = 0; j < grid.length; j++) {
                // exactly countFor(s, n) new zeros, all in this tensor (weights are non-zero after training)
                assertThat(-c.metrics()[j] - zerosBefore).as("%s at %s", c.tensorId(), grid[j])
                        .isEqualTo(MaskStrategy.countFor(grid[j], c.size()));
            }
        }
        assertThat(curves.get(0).size()).isEqualTo(160);
        assertThat(f.model().params().dup().toFloatVector()).isEqualTo(before); // float[] equality is bitwise
    }

    @Test
    void computationGraph_isMeasuredByLayerName_andRestoredBitExactly() {
        TestNets.Fixture f = trained(TestNets.Arch.CG_MERGE);
        float[] before = f.model().params().dup().toFloatVector();
        DataSet batch = f.batch();
        List<SensitivityCurve> curves = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(new ListDataSetIterator<>(List.of(batch))))
                .build()
                .run(f.model());
        assertThat(curves).extracting(SensitivityCurve::tensorId).containsExactly("left_W", "right_W", "out_W");
        assertThat(curves.get(0).sparsities()).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98);
        assertThat(f.model().params().dup().toFloatVector()).isEqualTo(before);
    }

    @Test
    void accuracyEvaluator_baselineIsTheModelsAccuracy() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        ListDataSetIterator<DataSet> it = new ListDataSetIterator<>(List.of(f.batch()));
        double expected = ((MultiLayerNetwork) f.model()).evaluate(it).accuracy();
        List<SensitivityCurve> curves = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(it)).optGrid(0.5).build().run(f.model());
        assertThat(curves.get(0).baseline()).isEqualTo(expected);
    }

    @Test
    void failingEvaluator_stillRestoresTheTensor() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        float[] before = f.model().params().dup().toFloatVector();
        int[] calls = {0};
        ToDoubleFunction<Model> failsOnThirdCall = m -> {
            if (++calls[0] == 3) {
                throw new IllegalStateException("boom");
            }
            return 1.0;
        };
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(failsOnThirdCall).build().run(f.model()))
                .hasMessage("boom");
        assertThat(f.model().params().dup().toFloatVector()).isEqualTo(before);
    }

    @Test
    void nonFiniteMetric_isAnError() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> Double.NaN).build().run(f.model()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must return a finite metric");
    }

    @Test
    void survivorCurves_refuseASelectionWhoseStrategyRegrowsPrunedWeights() {
        PruningConfig regrowing = PruningConfig.builder().setSchedule(SparsitySchedule.constant(0.5))
                .optStrategy(MaskStrategy.lowestScoresWithRegrowth()).build();
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optSelection(regrowing)
                        .optSurvivors(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optSurvivors(true)")
                .hasMessageContaining("allows regrowth");
        SensitivityAnalysis dense = SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optSelection(regrowing).build();
        assertThat(dense).isNotNull();
    }

    @Test
    void selection_followsThePruningConfigAndUnknownLayersListTheNames() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        PruningConfig onlyOutput = PruningConfig.builder().setSchedule(SparsitySchedule.constant(0.5)).optLayers("2").build();
        SensitivityAnalysis a = SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optGrid(0.5).optSelection(onlyOutput).build();
        assertThat(a.tensorIds(f.model())).containsExactly("2_W");
        assertThat(a.run(f.model())).hasSize(1);

        PruningConfig unknown = PruningConfig.builder().setSchedule(SparsitySchedule.constant(0.5)).optLayers("fc9").build();
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optSelection(unknown).build().run(f.model()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("'fc9'")
                .hasMessageContaining("prunable params: 0_W, 1_W, 2_W");
    }

    @Test
    void badGridsAndMissingEvaluator_areRejectedAtBuild() {
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optGrid().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grid must not be empty");
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optGrid(0.5, 1.0).build())
                .hasMessageContaining("grid[1] must be in [0, 1), found 1");
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optGrid(-0.5).build())
                .hasMessageContaining("grid[0] must be in [0, 1), found -0.5");
        assertThatThrownBy(() -> SensitivityAnalysis.builder().build()).hasMessageContaining("evaluator (setEvaluator) must not be null");
    }

    @Test
    void curves_feedTheAllocator_andTheOverridesMatchTheModelsParamIds() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        List<SensitivityCurve> curves = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(new ListDataSetIterator<>(List.of(f.batch()))))
                .build().run(f.model());
        Allocation a = SparsityAllocator.minimizeLoss().allocate(curves, 0.8);
        long total = curves.stream().mapToLong(SensitivityCurve::size).sum();
        assertThat(a.totalPruned()).isEqualTo(Math.round(0.8 * total));
        INDArray w = f.model().getParam("0_W");
        assertThat(a.sparsities()).containsOnlyKeys("0_W", "1_W", "2_W");
        assertThat(w.length()).isEqualTo(a.sizes().get("0_W"));
    }

    @Test
    void withRecovery_trainsWithTheMaskHeld_andRestoresParamsUpdaterStateAndCounts() {
        for (TestNets.Arch arch : new TestNets.Arch[] {TestNets.Arch.MLN_DENSE, TestNets.Arch.CG_MERGE}) {
            TestNets.Fixture f = trained(arch);
            Model m = f.model();
            float[] params = m.params().dup().toFloatVector();
            INDArray stateView = arch == TestNets.Arch.MLN_DENSE
                    ? ((MultiLayerNetwork) m).getUpdater().getStateViewArray()
                    : ((org.deeplearning4j.nn.graph.ComputationGraph) m).getUpdater().getStateViewArray();
            float[] state = stateView.dup().toFloatVector();
            long iterations = org.topiary.sparsity.dl4j.persist.internal.Dl4jModels.iterationCount(m);
            int[] trainings = {0};
            long[] zerosSeen = {-1};
            List<SensitivityCurve> curves = SensitivityAnalysis.builder()
                    .setEvaluator(model -> {
                        zerosSeen[0] = zeros(model);
                        return 1.0;
                    })
                    .optGrid(0.5)
                    .optRecovery(model -> {
                        trainings[0]++;
                        for (int i = 0; i < 3; i++) {
                            f.fitOnce();
                        }
                    })
                    .build()
                    .run(m);
            assertThat(trainings[0]).isEqualTo(curves.size() + 1); // + the baseline, recovered unpruned
            // after training, the last tensor still has exactly half its weights at zero (mask held)
            SensitivityCurve last = curves.get(curves.size() - 1);
            assertThat(zerosSeen[0]).isGreaterThanOrEqualTo(MaskStrategy.countFor(0.5, last.size()));
            assertThat(m.params().dup().toFloatVector()).as("%s params", arch).isEqualTo(params);
            INDArray stateAfter = arch == TestNets.Arch.MLN_DENSE
                    ? ((MultiLayerNetwork) m).getUpdater().getStateViewArray()
                    : ((org.deeplearning4j.nn.graph.ComputationGraph) m).getUpdater().getStateViewArray();
            assertThat(stateAfter.dup().toFloatVector()).as("%s updater state", arch).isEqualTo(state);
            assertThat(org.topiary.sparsity.dl4j.persist.internal.Dl4jModels.iterationCount(m)).isEqualTo(iterations);
        }
    }

    /** Zeroes the lowest-magnitude half of every weight tensor; returns the zeros per tensor. */
    private static java.util.Map<String, Long> pruneHalf(Model m) {
        java.util.Map<String, Long> zeros = new java.util.LinkedHashMap<>();
        for (String id : List.of("0_W", "1_W", "2_W")) {
            INDArray w = m.getParam(id);
            INDArray scores = org.nd4j.linalg.ops.transforms.Transforms.abs(w, true);
            long k = MaskStrategy.countFor(0.5, w.length());
            w.muli(MaskStrategy.lowestScores().computeMask(scores, null, k));
            zeros.put(id, k);
        }
        return zeros;
    }

    @Test
    void survivors_gridIsFractionsOfTheNonZeroWeights_andTheCurveSizeIsTheirCount() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        java.util.Map<String, Long> pruned = pruneHalf(f.model());
        float[] before = f.model().params().dup().toFloatVector();
        long zerosBefore = zeros(f.model());
        double[] grid = {0.25, 0.5, 0.9};
        List<SensitivityCurve> curves = SensitivityAnalysis.builder().setEvaluator(MINUS_ZEROS).optGrid(grid)
                .optSurvivors(true).build().run(f.model());
        for (SensitivityCurve c : curves) {
            long n = f.model().getParam(c.tensorId()).length();
            assertThat(c.size()).as(c.tensorId()).isEqualTo(n - pruned.get(c.tensorId()));
            for (int j = 0; j < grid.length; j++) {
                // the operating point's zeros stay, and countFor(f, survivors) more are pruned
                assertThat(-c.metrics()[j] - zerosBefore).as("%s at %s", c.tensorId(), grid[j])
                        .isEqualTo(MaskStrategy.countFor(grid[j], c.size()));
            }
        }
        assertThat(f.model().params().dup().toFloatVector()).isEqualTo(before);
    }

    @Test
    void survivorsWithRecovery_holdEveryTensorsZeros_andRestoreEveryBit() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        java.util.Map<String, Long> pruned = pruneHalf(f.model());
        long operatingZeros = pruned.values().stream().mapToLong(Long::longValue).sum();
        float[] before = f.model().params().dup().toFloatVector();
        List<Long> zerosSeen = new java.util.ArrayList<>();
        List<SensitivityCurve> curves = SensitivityAnalysis.builder()
                .setEvaluator(model -> {
                    long z = 0;
                    for (String id : pruned.keySet()) {
                        for (float v : model.getParam(id).dup().reshape(model.getParam(id).length()).toFloatVector()) {
                            z += v == 0f ? 1 : 0;
                        }
                    }
                    zerosSeen.add(z);
                    return 1.0;
                })
                .optGrid(0.5)
                .optSurvivors(true)
                .optRecovery(model -> {
                    for (int i = 0; i < 3; i++) {
                        f.fitOnce();
                    }
                })
                .build()
                .run(f.model());
        // baseline: exactly the operating point's zeros after training (held); then each tensor adds half its survivors
        assertThat(zerosSeen.get(0)).isEqualTo(operatingZeros);
        for (int l = 0; l < curves.size(); l++) {
            assertThat(zerosSeen.get(l + 1)).as(curves.get(l).tensorId())
                    .isEqualTo(operatingZeros + MaskStrategy.countFor(0.5, curves.get(l).size()));
        }
        assertThat(f.model().params().dup().toFloatVector()).isEqualTo(before);
    }

    @Test
    void survivors_aTensorWithoutNonZeroWeights_isAnErrorNamingIt() {
        TestNets.Fixture f = trained(TestNets.Arch.MLN_DENSE);
        f.model().getParam("1_W").assign(0);
        assertThatThrownBy(() -> SensitivityAnalysis.builder().setEvaluator(m -> 1.0).optGrid(0.5).optSurvivors(true).build().run(f.model()))
                .hasMessageContaining("tensor '1_W' has no non-zero weight");
    }
}
