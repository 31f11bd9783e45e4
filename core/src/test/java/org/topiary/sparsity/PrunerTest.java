package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.topiary.sparsity.testkit.MaskAssertions.assertMonotone;
import static org.topiary.sparsity.testkit.MaskAssertions.pruned;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PrunerTest {

    private static INDArray weights(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    @Test
    void layerScopePrunesEachTensorToTheTargetExactly() {
        Pruner pruner = Pruner.of(PruningConfig.gradual(0.9, 0, 100, 10));
        List<PrunableTensor> ts =
                List.of(
                        PrunableTensor.of("a", weights(1, 784, 300), null),
                        PrunableTensor.of("b", weights(2, 300, 100), null),
                        PrunableTensor.of("c", weights(3, 100, 10), null));
        List<INDArray> masks = pruner.computeMasks(ts, 100);
        assertThat(pruned(masks.get(0))).isEqualTo(211_680);
        assertThat(pruned(masks.get(1))).isEqualTo(27_000);
        assertThat(pruned(masks.get(2))).isEqualTo(900);
    }

    @Test
    void globalScopeMeetsTheTargetOverAllTensorsAndFavoursTheLargeOnes() {
        PruningConfig cfg = PruningConfig.gradual(0.9, 0, 100, 10).toBuilder().optScope(Scope.GLOBAL).build();
        INDArray big = weights(1, 400, 100).muli(0.1); // small magnitudes: pruned more
        INDArray small = weights(2, 100, 10);
        List<INDArray> masks =
                Pruner.of(cfg)
                        .computeMasks(List.of(PrunableTensor.of("big", big, null), PrunableTensor.of("small", small, null)), 100);
        long total = pruned(masks.get(0)) + pruned(masks.get(1));
        assertThat(total).isEqualTo(Math.round(0.9 * 41_000));
        assertThat(pruned(masks.get(0)) / 40_000.0).isGreaterThan(0.9);
        assertThat(pruned(masks.get(1)) / 1_000.0).isLessThan(0.9);
    }

    @Test
    void globalScopeUsesOneThresholdAcrossTensors() {
        PruningConfig cfg = PruningConfig.gradual(0.5, 0, 10, 1).toBuilder().optScope(Scope.GLOBAL).build();
        INDArray a = Nd4j.createFromArray(new float[] {1, 2, 3, 4});
        INDArray b = Nd4j.createFromArray(new float[] {0.5f, 2.5f, 5, 6});
        List<INDArray> masks =
                Pruner.of(cfg).computeMasks(List.of(PrunableTensor.of("a", a, null), PrunableTensor.of("b", b, null)), 10);
        // the 4 smallest |w| of {1,2,3,4,0.5,2.5,5,6} are 0.5, 1, 2, 2.5
        assertThat(pruned(masks.get(0))).isEqualTo(2);
        assertThat(pruned(masks.get(1))).isEqualTo(2);
    }

    @Test
    void overridesArePrunedOnTheirOwnInGlobalScope() {
        PruningConfig cfg = PruningConfig.gradual(0.8, 0, 10, 1).toBuilder().optScope(Scope.GLOBAL).build();
        Pruner pruner = Pruner.of(cfg);
        PrunableTensor a = PrunableTensor.of("a", weights(1, 50, 20), null);
        PrunableTensor b = new PrunableTensor("b", weights(2, 10, 10), null, OptionalDouble.of(0.3));
        List<INDArray> masks = pruner.computeMasks(List.of(a, b), 10);
        assertThat(pruned(masks.get(0))).isEqualTo(800);
        assertThat(pruned(masks.get(1))).isEqualTo(30);
        assertThat(pruner.targetSparsity(b, 10)).isEqualTo(0.3);
        assertThat(pruner.targetSparsity(b, 0)).isEqualTo(0.0);
    }

    @Test
    void masksAreMonotoneOverAGradualSchedule() {
        Pruner pruner = Pruner.of(PruningConfig.gradual(0.95, 0, 50, 5));
        INDArray w = weights(7, 60, 40);
        INDArray mask = null;
        for (long t = 0; t <= 50; t += 5) {
            INDArray next = pruner.computeMasks(List.of(PrunableTensor.of("w", w, mask)), t).get(0);
            if (mask != null) {
                assertMonotone(mask, next);
            }
            mask = next;
            w = w.mul(mask.castTo(DataType.FLOAT)).addi(weights(t, 60, 40).muli(0.01).mul(mask.castTo(DataType.FLOAT)));
        }
        assertThat(pruned(mask)).isEqualTo(Math.round(0.95 * 2400));
    }

    @Test
    void randomScorerIsDeterministicPerSeedAndDiffersAcrossSeeds() {
        PrunableTensor t = PrunableTensor.of("w", weights(1, 20, 20), null);
        INDArray a = ImportanceScorer.random(1).score(t, 5);
        assertThat(ImportanceScorer.random(1).score(t, 5)).isEqualTo(a);
        assertThat(ImportanceScorer.random(2).score(t, 5)).isNotEqualTo(a);
    }

    @Test
    void allOnesMaskLeavesWeightsUnchanged() {
        INDArray w = weights(3, 10, 10);
        INDArray mask = Pruner.of(PruningConfig.gradual(0.5, 10, 20, 5)).computeMasks(List.of(PrunableTensor.of("w", w, null)), 0).get(0);
        assertThat(pruned(mask)).isZero();
        assertThat(w.mul(mask)).isEqualTo(w);
    }

    /** Delegates to the monotone lowest-score strategy but is not one, so the Pruner cannot shortcut. */
    private static final MaskStrategy OPAQUE_LOWEST = new MaskStrategy() {
        @Override
        public INDArray computeMask(INDArray scores, INDArray previousMask, long numPruned) {
            return MaskStrategy.lowestScores().computeMask(scores, previousMask, numPruned);
        }

        @Override
        public boolean allowsRegrowth() {
            return false;
        }

        @Override
        public String typeId() {
            return "opaque";
        }
    };

    @Test
    void globalMasksReadOffTheGlobalCutEqualThePerTensorSelection_withTiesAndPreviousMasks() {
        PruningConfig cfg = PruningConfig.gradual(0.9, 0, 100, 10).toBuilder().optScope(Scope.GLOBAL).build();
        Pruner fast = Pruner.of(cfg);
        Pruner reference = Pruner.of(cfg.schedule(), Scope.GLOBAL, cfg.scorer(), OPAQUE_LOWEST);
        // rounded weights: many exact ties across tensors, so the tie-break order matters
        INDArray a = Nd4j.math().round(weights(5, 60, 40).muli(4)).divi(4);
        INDArray b = Nd4j.math().round(weights(6, 40, 10).muli(4)).divi(4);
        List<INDArray> previous = null;
        for (long step = 0; step <= 100; step += 10) {
            List<PrunableTensor> ts = List.of(
                    PrunableTensor.of("a", a, previous == null ? null : previous.get(0)),
                    PrunableTensor.of("b", b, previous == null ? null : previous.get(1)));
            List<INDArray> expected = reference.computeMasks(ts, step);
            List<INDArray> actual = fast.computeMasks(ts, step);
            assertThat(actual.get(0)).as("step %d", step).isEqualTo(expected.get(0));
            assertThat(actual.get(1)).as("step %d", step).isEqualTo(expected.get(1));
            previous = actual;
            a.addi(weights(step, 60, 40).muli(0.05));
        }
        assertThat(pruned(previous.get(0)) + pruned(previous.get(1))).isEqualTo(Math.round(0.9 * 2_800));
    }

    @Test
    void aReusedWorkspaceGivesTheMasksOfAFreshOne_layerAndGlobal_withEqualSizedTensors() {
        for (Scope scope : Scope.values()) {
            PruningConfig cfg = PruningConfig.gradual(0.9, 0, 100, 10).toBuilder().optScope(scope).build();
            Pruner pruner = Pruner.of(cfg);
            MaskWorkspace workspace = MaskWorkspace.create();
            // a and b have the same length: in global scope they must not share arrays
            INDArray a = weights(7, 60, 40);
            INDArray b = weights(8, 40, 60);
            INDArray c = weights(9, 10, 10);
            List<INDArray> previous = java.util.Arrays.asList(null, null, null);
            for (long step = 0; step <= 100; step += 10) {
                List<PrunableTensor> ts = List.of(
                        PrunableTensor.of("a", a, previous.get(0)),
                        PrunableTensor.of("b", b, previous.get(1)),
                        PrunableTensor.of("c", c, previous.get(2)));
                List<INDArray> fresh = pruner.computeMasks(ts, step);
                List<INDArray> reused = pruner.computeMasks(ts, step, workspace);
                for (int i = 0; i < 3; i++) {
                    assertThat(reused.get(i)).as("%s, step %d, tensor %d", scope, step, i).isEqualTo(fresh.get(i));
                }
                previous = reused;
                a.addi(weights(step, 60, 40).muli(0.3));
                b.addi(weights(step + 1, 40, 60).muli(0.3));
            }
            assertMonotone(previous.get(0), previous.get(0));
            assertThat(pruned(previous.get(0)) + pruned(previous.get(1)) + pruned(previous.get(2)))
                    .as("%s", scope)
                    .isEqualTo(scope == Scope.LAYER ? 2_160 + 2_160 + 90 : Math.round(0.9 * 4_900));
        }
    }
}
