package org.topiary.sparsity.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.testkit.MaskAssertions;

class StructuredGroupsTest {

    /** Dense W [nIn=3, nOut=4] whose column j has magnitude j+1 except where changed. */
    private static INDArray denseW(float... columnScale) {
        INDArray w = Nd4j.create(DataType.FLOAT, new long[] {3, 4}, 'f');
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                w.putScalar(new int[] {i, j}, (i % 2 == 0 ? 1 : -1) * columnScale[j]);
            }
        }
        return w;
    }

    private static GroupLayout denseLayout() {
        return GroupLayout.builder("0", 4).scored("0_W", new long[] {3, 4}, 1).masked("0_b", new long[] {4}, new long[] {4}, 0).build();
    }

    private static StructuredPruner pruner(double sparsity, GroupScorer scorer) {
        return StructuredPruner.of(
                PruningConfig.builder()
                        .setSchedule(SparsitySchedule.oneShot(sparsity, 1))
                        .optWindow(UpdateWindow.once(1))
                        .optPattern(SparsityPattern.groups(scorer))
                        .build());
    }

    private static Map<String, PrunableTensor> tensors(INDArray w, INDArray wMask, INDArray bMask) {
        Map<String, PrunableTensor> m = new LinkedHashMap<>();
        m.put("0_W", PrunableTensor.of("0_W", w, wMask));
        m.put("0_b", PrunableTensor.of("0_b", Nd4j.ones(DataType.FLOAT, 4), bMask));
        return m;
    }

    private static boolean column(INDArray mask, int j) {
        return mask.getDouble(0, j) != 0;
    }

    @Test
    void removesTheRoundedFractionOfLowestL1ColumnsAndTheirBias() {
        INDArray w = denseW(3, 1, 4, 2);
        Map<String, INDArray> masks = pruner(0.5, GroupScorer.l1()).groupMasks(List.of(denseLayout()), tensors(w, null, null), null, 1);
        INDArray mw = masks.get("0_W");
        INDArray mb = masks.get("0_b");
        assertThat(new boolean[] {column(mw, 0), column(mw, 1), column(mw, 2), column(mw, 3)}).containsExactly(true, false, true, false);
        assertThat(mb.toFloatVector()).containsExactly(1f, 0f, 1f, 0f);
        assertThat(MaskAssertions.pruned(mw)).isEqualTo(6);
    }

    @Test
    void tiesGoToTheLowerGroupIndex() {
        INDArray w = denseW(1, 1, 1, 1);
        INDArray mw = pruner(0.25, GroupScorer.l2()).groupMasks(List.of(denseLayout()), tensors(w, null, null), null, 1).get("0_W");
        assertThat(column(mw, 0)).isFalse();
        assertThat(column(mw, 1) && column(mw, 2) && column(mw, 3)).isTrue();
    }

    @Test
    void keepsAtLeastOneGroup() {
        INDArray w = denseW(1, 2, 3, 4);
        INDArray mw = pruner(0.99, GroupScorer.l1()).groupMasks(List.of(denseLayout()), tensors(w, null, null), null, 1).get("0_W");
        assertThat(MaskAssertions.pruned(mw)).isEqualTo(9);
        assertThat(column(mw, 3)).isTrue();
    }

    @Test
    void previouslyRemovedGroupsStayRemovedEvenWhenTheirScoresRise() {
        StructuredPruner p = pruner(0.25, GroupScorer.l1());
        INDArray first = p.groupMasks(List.of(denseLayout()), tensors(denseW(1, 2, 3, 4), null, null), null, 1).get("0_W");
        assertThat(column(first, 0)).isFalse();
        Map<String, INDArray> second = p.groupMasks(
                List.of(denseLayout()), tensors(denseW(9, 0.5f, 3, 4), first, first.getRow(0).dup()), null, 1);
        MaskAssertions.assertMonotone(first, second.get("0_W"));
        assertThat(MaskAssertions.pruned(second.get("0_W"))).isEqualTo(3);
    }

    @Test
    void lstmUnitSpansTheFourGateColumnsOfEveryTensor() {
        int nIn = 2;
        int nOut = 3;
        INDArray w = Nd4j.ones(DataType.FLOAT, nIn, 4 * nOut);
        INDArray rw = Nd4j.ones(DataType.FLOAT, nOut, 4 * nOut);
        for (int gate = 0; gate < 4; gate++) {
            w.getColumn(gate * nOut + 1).assign(0.1);
            rw.getColumn(gate * nOut + 1).assign(0.1);
        }
        GroupLayout lstm = GroupLayout.builder("lstm", nOut)
                .scored("W", w.shape(), new long[] {nIn, 4, nOut}, 2)
                .scored("RW", rw.shape(), new long[] {nOut, 4, nOut}, 2)
                .masked("b", new long[] {4 * nOut}, new long[] {4, nOut}, 1)
                .build();
        Map<String, PrunableTensor> t = new LinkedHashMap<>();
        t.put("W", PrunableTensor.of("W", w, null));
        t.put("RW", PrunableTensor.of("RW", rw, null));
        t.put("b", PrunableTensor.of("b", Nd4j.ones(DataType.FLOAT, 4 * nOut), null));
        Map<String, INDArray> masks = pruner(0.34, GroupScorer.l1()).groupMasks(List.of(lstm), t, null, 1);
        for (int col = 0; col < 4 * nOut; col++) {
            boolean unit1 = col % nOut == 1;
            assertThat(masks.get("W").castTo(DataType.INT).getColumn(col).sumNumber().intValue()).isEqualTo(unit1 ? 0 : nIn);
            assertThat(masks.get("RW").castTo(DataType.INT).getColumn(col).sumNumber().intValue()).isEqualTo(unit1 ? 0 : nOut);
            assertThat(masks.get("b").getDouble(col) != 0).isEqualTo(!unit1);
        }
    }

    @Test
    void taylorScoreIsTheAccumulatedSumOfAbsWeightTimesGradient() {
        INDArray w = Nd4j.create(new float[][] {{1, -2}, {3, 0.5f}});
        INDArray g1 = Nd4j.create(new float[][] {{0.5f, 1}, {-1, 2}});
        INDArray g2 = Nd4j.create(new float[][] {{-1, 0}, {0, -4}});
        TaylorAccumulator acc = new TaylorAccumulator();
        acc.add("W", w, g1);
        acc.add("W", w, g2);
        GroupLayout layout = GroupLayout.builder("l", 2).scored("W", new long[] {2, 2}, 1).build();
        double[] s = GroupScorer.taylor().score(layout, id -> w, acc, 5);
        // column 0: |1*0.5| + |3*-1| + |1*-1| + |3*0| = 4.5; column 1: |-2*1| + |0.5*2| + 0 + |0.5*-4| = 5
        assertThat(s).containsExactly(4.5, 5.0);
        acc.reset();
        assertThat(acc.get("W")).isNull();
    }

    @Test
    void taylorWithoutAnAccumulatorSaysWhatIsMissing() {
        GroupLayout layout = GroupLayout.builder("l", 2).scored("W", new long[] {2, 2}, 1).build();
        assertThatThrownBy(() -> GroupScorer.taylor().score(layout, id -> Nd4j.ones(2, 2), null, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TaylorAccumulator");
    }

    @Test
    void randomGroupScoresAreDeterministicPerSeedAndStep() {
        GroupLayout layout = denseLayout();
        double[] a = GroupScorer.random(3).score(layout, id -> null, null, 7);
        double[] b = GroupScorer.random(3).score(layout, id -> null, null, 7);
        double[] c = GroupScorer.random(4).score(layout, id -> null, null, 7);
        assertThat(a).containsExactly(b).isNotEqualTo(c);
    }

    @Test
    void layoutRejectsMismatchedGroupCounts() {
        assertThatThrownBy(() -> GroupLayout.builder("x", 5).scored("0_W", new long[] {3, 4}, 1).build())
                .hasMessageContaining("'0_W'")
                .hasMessageContaining("expected 5");
        assertThatThrownBy(() -> GroupLayout.builder("x", 4).scored("0_W", new long[] {3, 4}, new long[] {3, 5}, 1).build())
                .hasMessageContaining("as many elements");
    }

    @Test
    void regrowthStrategyLetsARemovedGroupReturn() {
        StructuredPruner p = StructuredPruner.of(
                PruningConfig.builder()
                        .setSchedule(SparsitySchedule.constant(0.25))
                        .optWindow(new UpdateWindow(1, 10, 1))
                        .optStrategy(MaskStrategy.lowestScoresWithRegrowth())
                        .optPattern(SparsityPattern.groups(GroupScorer.l1()))
                        .build());
        INDArray first = p.groupMasks(List.of(denseLayout()), tensors(denseW(1, 2, 3, 4), null, null), null, 1).get("0_W");
        INDArray second = p.groupMasks(List.of(denseLayout()), tensors(denseW(9, 0.5f, 3, 4), first, null), null, 2).get("0_W");
        assertThat(column(second, 0)).isTrue();
        assertThat(column(second, 1)).isFalse();
    }
}
