package org.topiary.sparsity.auto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.Pruner;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.testkit.MaskAssertions;

class SparsityAllocatorTest {

    static final double[] GRID = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999};

    /** A plausible curve: flat, then falling faster near 1, scaled by {@code sensitivity}, plus noise. */
    static SensitivityCurve curve(String id, long n, double sensitivity, Random noise) {
        double[] m = new double[GRID.length];
        for (int j = 0; j < GRID.length; j++) {
            m[j] = 0.9 - sensitivity * Math.pow(GRID[j], 6) + (noise == null ? 0 : 0.003 * noise.nextGaussian());
        }
        return new SensitivityCurve(id, n, GRID, m, 0.9);
    }

    static List<SensitivityCurve> lenet(Random noise) {
        return List.of(curve("0_W", 235_200, 0.2, noise), curve("1_W", 30_000, 0.5, noise), curve("2_W", 1_000, 0.8, noise));
    }

    @Test
    void meetsTheGlobalTargetExactlyInWeightCounts() {
        Random r = new Random(42);
        int checked = 0;
        for (int trial = 0; trial < 200; trial++) {
            int tensors = 1 + r.nextInt(6);
            List<SensitivityCurve> curves = new ArrayList<>();
            long total = 0;
            for (int l = 0; l < tensors; l++) {
                long n = 1 + r.nextInt(trial % 2 == 0 ? 50 : 300_000);
                total += n;
                curves.add(curve("t" + l, n, r.nextDouble(), r));
            }
            long reachable = curves.stream().mapToLong(SensitivityCurve::maxPrunedCount).sum();
            double s = r.nextDouble() * 0.999;
            if (Math.round(s * total) > reachable) {
                continue;
            }
            Allocation a = SparsityAllocator.minimizeLoss().allocate(curves, s);
            long sum = 0;
            for (SensitivityCurve c : curves) {
                double sl = a.sparsities().get(c.tensorId());
                long cl = MaskStrategy.countFor(sl, c.size()); // what the pruning listener will prune
                assertThat(cl).isEqualTo(a.prunedCounts().get(c.tensorId()));
                assertThat(cl).isLessThanOrEqualTo(c.size() - 1).isLessThanOrEqualTo(c.maxPrunedCount());
                sum += cl;
            }
            assertThat(sum).as("trial %d, S=%s", trial, s).isEqualTo(Math.round(s * total)).isEqualTo(a.totalPruned());
            checked++;
        }
        assertThat(checked).isGreaterThan(150);
    }

    @Test
    void lenetAt98Percent_keepsTheSensitiveSmallLayerDenser() {
        Allocation a = SparsityAllocator.minimizeLoss().allocate(lenet(null), 0.98);
        assertThat(a.totalPruned()).isEqualTo(Math.round(0.98 * 266_200));
        assertThat(a.sparsities().get("2_W")).isLessThan(0.98);
        assertThat(a.sparsities().get("0_W")).isGreaterThan(0.98);
        assertThat(a.predictedDrop()).isGreaterThanOrEqualTo(0);
        assertThat(a.achievedSparsity()).isCloseTo(0.98, within(1.0 / 266_200));
    }

    @Test
    void convexCurves_giveTheBruteForceOptimum() {
        // drops 0, 1, 3 (convex) vs 0, 2, 5 on tensors of 10 weights with grid 0.5 / 0.9
        double[] grid = {0.5, 0.9};
        List<SensitivityCurve> curves = List.of(
                new SensitivityCurve("a", 10, grid, new double[] {9, 7}, 10),
                new SensitivityCurve("b", 10, grid, new double[] {8, 5}, 10));
        for (double s = 0.0; s < 0.9; s += 0.05) {
            Allocation got = SparsityAllocator.minimizeLoss().allocate(curves, s);
            long k = Math.round(s * 20);
            double best = Double.POSITIVE_INFINITY;
            for (long ca = 0; ca <= 9; ca++) {
                long cb = k - ca;
                if (cb >= 0 && cb <= 9) {
                    best = Math.min(best, curves.get(0).dropAtCount(ca) + curves.get(1).dropAtCount(cb));
                }
            }
            assertThat(got.predictedDrop()).as("S=%s", s).isCloseTo(best, within(1e-9));
        }
    }

    @Test
    void insensitiveTensorIsPrunedFirst() {
        double[] grid = {0.5, 0.9};
        List<SensitivityCurve> curves = List.of(
                new SensitivityCurve("sensitive", 100, grid, new double[] {0.5, 0.1}, 0.9),
                new SensitivityCurve("robust", 100, grid, new double[] {0.9, 0.89}, 0.9));
        Allocation a = SparsityAllocator.minimizeLoss().allocate(curves, 0.45);
        assertThat(a.prunedCounts()).containsEntry("robust", 90L).containsEntry("sensitive", 0L);
        assertThat(a.predictedDrop()).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void targetBeyondTheMeasuredGrids_failsSayingHowToFixIt() {
        List<SensitivityCurve> curves = List.of(new SensitivityCurve("0_W", 100, new double[] {0.5, 0.9}, new double[] {0.8, 0.5}, 0.9));
        assertThatThrownBy(() -> SparsityAllocator.minimizeLoss().allocate(curves, 0.95))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reach only 90")
                .hasMessageContaining("add larger sparsities to the grid");
    }

    @Test
    void badInputs_areRejected() {
        SensitivityCurve c = new SensitivityCurve("0_W", 100, new double[] {0.5}, new double[] {0.8}, 0.9);
        SparsityAllocator alloc = SparsityAllocator.minimizeLoss();
        assertThatThrownBy(() -> alloc.allocate(List.of(), 0.5)).hasMessageContaining("curves must not be empty");
        assertThatThrownBy(() -> alloc.allocate(List.of(c, c), 0.1)).hasMessageContaining("tensor '0_W' has two curves");
        assertThatThrownBy(() -> alloc.allocate(List.of(c), 1.0)).hasMessageContaining("globalSparsity must be in [0, 1), found 1");
    }

    @Test
    void appliedAsOverrides_thePrunerPrunesExactlyTheGlobalCount() {
        Random r = new Random(3);
        List<SensitivityCurve> curves = List.of(curve("a", 3_001, 0.1, r), curve("b", 777, 0.6, r), curve("c", 13, 0.9, r));
        Allocation a = SparsityAllocator.minimizeLoss().allocate(curves, 0.93);
        PruningConfig config = a.applyTo(PruningConfig.gradual(0.5, 0, 100, 10).toBuilder().optScope(Scope.GLOBAL).build());
        assertThat(config.overrides()).containsOnlyKeys("a", "b", "c");
        assertThat(config.schedule().finalSparsity()).isEqualTo(0.93);
        List<PrunableTensor> tensors = new ArrayList<>();
        Nd4j.getRandom().setSeed(7);
        for (SensitivityCurve c : curves) {
            INDArray w = Nd4j.randn(DataType.FLOAT, c.size());
            tensors.add(new PrunableTensor(c.tensorId(), w, null, OptionalDouble.of(config.overrides().get(c.tensorId()))));
        }
        List<INDArray> masks = Pruner.of(config).computeMasks(tensors, 100);
        long pruned = 0;
        for (int i = 0; i < masks.size(); i++) {
            assertThat(MaskAssertions.pruned(masks.get(i))).isEqualTo(a.prunedCounts().get(curves.get(i).tensorId()));
            pruned += MaskAssertions.pruned(masks.get(i));
        }
        assertThat(pruned).isEqualTo(Math.round(0.93 * (3_001 + 777 + 13)));
    }

    @Test
    void appliedToABuilder_addsOneOverridePerTensor() {
        Allocation a = SparsityAllocator.minimizeLoss().allocate(lenet(null), 0.9);
        PruningConfig c = a.applyTo(PruningConfig.gradual(0.9, 0, 100, 10).toBuilder()).build();
        assertThat(c.overrides()).isEqualTo(Map.copyOf(a.sparsities()));
    }

    static final double[] FRACTIONS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    /** A survivor curve: {@code m} survivors, drop growing like {@code f^3} with noise. */
    static SensitivityCurve survivors(String id, long m, double sensitivity, Random noise) {
        double[] v = new double[FRACTIONS.length];
        for (int j = 0; j < FRACTIONS.length; j++) {
            v[j] = 0.85 - sensitivity * Math.pow(FRACTIONS[j], 3) + 0.002 * noise.nextGaussian();
        }
        return new SensitivityCurve(id, m, FRACTIONS, v, 0.85);
    }

    @Test
    void fromAnOperatingPoint_meetsTheTargetExactlyAndNeverKeepsMoreThanTheSurvivors() {
        Random r = new Random(7);
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            int tensors = 1 + r.nextInt(5);
            List<SensitivityCurve> curves = new ArrayList<>();
            java.util.LinkedHashMap<String, Long> sizes = new java.util.LinkedHashMap<>();
            long total = 0;
            long survivorsTotal = 0;
            for (int l = 0; l < tensors; l++) {
                long n = 1 + r.nextInt(trial % 2 == 0 ? 60 : 250_000);
                long m = 1 + (long) (r.nextDouble() * (n - 1) * 0.2);
                sizes.put("t" + l, n);
                curves.add(survivors("t" + l, m, r.nextDouble(), r));
                total += n;
                survivorsTotal += m;
            }
            long already = total - survivorsTotal;
            long reachable = curves.stream().mapToLong(SensitivityCurve::maxPrunedCount).sum();
            double s = (already + r.nextDouble() * reachable) / total;
            if (s >= 1 || Math.round(s * total) < already || Math.round(s * total) - already > reachable) {
                continue;
            }
            Allocation a = SparsityAllocator.minimizeLoss().allocateBeyond(curves, sizes, s);
            assertThat(a.totalPruned()).isEqualTo(Math.round(s * total));
            assertThat(a.totalSize()).isEqualTo(total);
            for (SensitivityCurve c : curves) {
                long n = sizes.get(c.tensorId());
                long pruned = a.prunedCounts().get(c.tensorId());
                // kept <= survivors at the operating point, and at least one weight kept
                assertThat(n - pruned).as(c.tensorId()).isLessThanOrEqualTo(c.size()).isGreaterThanOrEqualTo(1);
                assertThat(a.sizes().get(c.tensorId())).isEqualTo(n);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(150);
    }

    @Test
    void fromAnOperatingPoint_theExtraGoesWhereTheSurvivorCurveIsFlattest() {
        // 1,000 survivors each of 20,000; t0's survivors cost nothing up to half, t1's cost from the start
        SensitivityCurve flat = new SensitivityCurve("t0", 1_000, FRACTIONS, new double[] {.85, .85, .85, .85, .85, .84, .83, .80, .70}, 0.85);
        SensitivityCurve steep = new SensitivityCurve("t1", 1_000, FRACTIONS, new double[] {.83, .81, .79, .75, .70, .60, .50, .40, .30}, 0.85);
        Map<String, Long> sizes = Map.of("t0", 20_000L, "t1", 20_000L);
        // 38,000 of 40,000 already pruned; 0.975 needs 39,000: 1,000 more. Marginal costs: t0 0 for 500,
        // 1e-4 for 200 more, t1 2e-4 for 300, t0 3e-4 next: so t0 +700, t1 +300
        Allocation a = SparsityAllocator.minimizeLoss().allocateBeyond(List.of(flat, steep), sizes, 0.975);
        assertThat(a.prunedCounts()).containsEntry("t0", 19_700L).containsEntry("t1", 19_300L);
        assertThat(a.predictedDrop()).isCloseTo(0.02 + 0.06, within(1e-12));
    }

    @Test
    void fromAnOperatingPoint_badInputsNameTheProblem() {
        SensitivityCurve c = new SensitivityCurve("t0", 100, FRACTIONS, new double[] {.8, .8, .8, .8, .8, .8, .8, .8, .8}, .8);
        SparsityAllocator alloc = SparsityAllocator.minimizeLoss();
        assertThatThrownBy(() -> alloc.allocateBeyond(List.of(c), Map.of("t0", 1_000L), 0.5))
                .hasMessageContaining("the operating point already prunes 900")
                .hasMessageContaining("lower operating sparsity");
        assertThatThrownBy(() -> alloc.allocateBeyond(List.of(c), Map.of("t0", 1_000L), 0.995))
                .hasMessageContaining("needs 95 more of the 100 survivors pruned, but the curves' grids reach only 90");
        assertThatThrownBy(() -> alloc.allocateBeyond(List.of(c), Map.of("t0", 50L), 0.95))
                .hasMessageContaining("curve of 't0' has 100 survivors but sizes gives the tensor 50 weights");
        assertThatThrownBy(() -> alloc.allocateBeyond(List.of(c), Map.of("t9", 1_000L), 0.95))
                .hasMessageContaining("sizes has no entry for tensor 't0'");
        assertThatThrownBy(() -> alloc.allocateBeyond(List.of(c), Map.of("t0", 1_000L, "t1", 10L), 0.95))
                .hasMessageContaining("sizes has tensors [t1] without a curve");
    }
}
