package org.topiary.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.OperatingPointSensitivity;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.auto.Allocation;
import org.topiary.sparsity.auto.SensitivityCurve;
import org.topiary.sparsity.auto.SparsityAllocator;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.auto.SensitivityAnalysis;
import org.topiary.sparsity.internal.Checks;

/**
 * Sensitivity-based allocation against global and layer-wise magnitude pruning at one high
 * overall sparsity, on the FMNIST-GMP protocol (LeNet-300-100, Adam 1e-3, batch 128, cubic GMP
 * from the end of epoch 1 to the end of epoch 7, masks every 100 steps).
 *
 * <p>Per seed: (1) a dense LeNet-300-100 is trained on the training images minus a
 * class-stratified validation part and its per-tensor sensitivity measured on that part (never
 * the test set); (2) {@link SparsityAllocator#minimizeLoss()} turns the curves into per-tensor
 * sparsities that meet the target exactly; (3) the arms ({@code global}, {@code alloc}, {@code
 * layer}) train on the full training set from the same initial weights and batch order as each
 * other, epochs interleaved, and are evaluated once per epoch on the test set.
 *
 * <p><b>Operating-point arm</b> ({@code alloc-op}): instead of a dense model, a LeNet-300-100 is
 * trained on the training part with the same GMP schedule shape and <em>global</em> magnitude
 * to a lower overall sparsity {@code S0} ({@code operatingSparsity}); from it, each weight tensor
 * alone is pruned further by magnitude to each fraction of its survivors ({@code operatingGrid}),
 * each point after {@code recoverySteps} masked Adam steps (every tensor's zeros held, the same
 * fixed minibatches for every point and for the baseline), scored on the validation part;
 * {@link SparsityAllocator#allocateBeyond} distributes the extra pruning from {@code S0}'s
 * counts to the target. So the curves describe the regime near the target, with every tensor
 * pruned at once and retrained, which is where GMP ends.
 *
 * <p><b>Collapse</b> (reported per run): test accuracy below {@value #COLLAPSE_ACCURACY}, or an
 * output class with no live path from the input (every path through non-zero weights is cut).
 */
public final class AllocationBench {
    /** Test accuracy below which a run counts as collapsed. */
    public static final double COLLAPSE_ACCURACY = 0.80;

    private AllocationBench() {}

    /** The pruning arms. */
    public enum Arm {
        /** One magnitude threshold over all weight tensors. */
        GLOBAL,
        /** Per-tensor sparsities from the sensitivity curves (overrides). */
        ALLOC,
        /** Every tensor at the target. */
        LAYER,
        /**
         * Per-tensor sparsities from curves measured with recovery: each point after {@code
         * recoverySteps} masked training steps on the training part.
         */
        ALLOC_FT,
        /**
         * Per-tensor sparsities from survivor curves measured at a pruned operating point (a
         * global-GMP model at {@code operatingSparsity}), with recovery; see the class comment.
         */
        ALLOC_OP;

        /** Lower-case name, {@code -} for {@code _}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses a lower-case name; unknown names fail with the list. */
        public static Arm parse(String s) {
            for (Arm a : values()) {
                if (a.label().equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("arm must be one of [global, alloc, layer, alloc-ft, alloc-op], found '" + s + "'");
        }
    }

    /** Benchmark settings. */
    public record Options(
            List<Long> seeds,
            int epochs,
            int batchSize,
            int beginEpoch,
            int endEpoch,
            long frequency,
            double sparsity,
            double validationFraction,
            double[] grid,
            List<Arm> arms,
            int recoverySteps,
            double operatingSparsity,
            double[] operatingGrid) {
        public Options {
            seeds = List.copyOf(seeds);
            arms = List.copyOf(arms);
            grid = grid.clone();
            operatingGrid = operatingGrid.clone();
            Checks.isTrue(!seeds.isEmpty(), "seeds must not be empty");
            GmpBench.checkWindow(epochs, beginEpoch, endEpoch);
            Checks.positive("batchSize", batchSize);
            Checks.positive("frequency", frequency);
            Checks.inHalfOpenRange("sparsity", sparsity, 0.0, 1.0);
            Checks.isTrue(validationFraction > 0 && validationFraction < 1,
                    "validationFraction must be in (0, 1), found %s", validationFraction);
            SensitivityCurve.validateGrid("grid", grid);
            Checks.isTrue(!arms.isEmpty(), "arms must not be empty");
            Checks.positive("recoverySteps", recoverySteps);
            if (arms.contains(Arm.ALLOC_OP)) {
                Checks.isTrue(operatingSparsity > 0 && operatingSparsity < sparsity,
                        "operatingSparsity must be in (0, sparsity = %s): the operating point is pruned further to the"
                                + " target, found %s", sparsity, operatingSparsity);
                OperatingPointSensitivity.validateFractions("operatingGrid", operatingGrid);
                double reach = OperatingPointSensitivity.reach(operatingSparsity, operatingGrid);
                Checks.isTrue(sparsity <= reach - 1e-4,
                        "sparsity %s is beyond what the alloc-op survivor curves reach from operatingSparsity %s with"
                                + " operatingGrid up to %s (about %.4f = S0 + f·(1 − S0)); raise operatingSparsity or add a"
                                + " larger fraction to operatingGrid", sparsity, operatingSparsity,
                        operatingGrid[operatingGrid.length - 1], reach);
            }
        }

        @Override
        public double[] grid() {
            return grid.clone();
        }

        @Override
        public double[] operatingGrid() {
            return operatingGrid.clone();
        }

        /** The gradual configuration shared by the arms, at the target, for {@code stepsPerEpoch}. */
        public PruningConfig baseConfig(long stepsPerEpoch) {
            return PruningConfig.gradual(sparsity, Steps.atEndOfEpoch(beginEpoch, stepsPerEpoch),
                    Steps.atEndOfEpoch(endEpoch, stepsPerEpoch), frequency);
        }
    }

    /** The sensitivity step of one seed. */
    public record Sensitivity(long seed, double denseValidationAccuracy, List<SensitivityCurve> curves, Allocation allocation,
            List<SensitivityCurve> recoveredCurves, Allocation recoveredAllocation, double seconds) {}

    /**
     * The operating-point sensitivity of one seed ({@code alloc-op}).
     *
     * @param operatingSparsity the operating point's overall sparsity {@code S0}
     * @param validationAccuracy the operating-point model's validation accuracy (before recovery)
     * @param survivors non-zero weights per tensor at the operating point
     * @param curves survivor curves (size = survivors, grid = fractions of them, with recovery)
     * @param allocation the allocation to the target from the operating point
     * @param trainSeconds training the operating-point model (wall time)
     * @param analysisSeconds measuring the curves (wall time)
     */
    public record OperatingPoint(long seed, double operatingSparsity, double validationAccuracy, Map<String, Long> survivors,
            List<SensitivityCurve> curves, Allocation allocation, double trainSeconds, double analysisSeconds) {}

    /** One trained pruned network. */
    public record Run(
            String arm,
            long seed,
            double testAccuracy,
            List<Double> accuracyPerEpoch,
            SparsityReport sparsity,
            int liveOutputClasses,
            int deadHiddenNeurons,
            boolean collapsed,
            double trainSeconds) {}

    /** Mean and sample std over seeds of one arm; delta is paired against {@code global}. */
    public record Summary(String arm, int seeds, double meanAccuracy, double stdAccuracy, double meanDeltaVsGlobal,
            double stdDeltaVsGlobal, double minAccuracy, int collapses) {}

    /** Everything measured. */
    public record Result(Options options, String dataSource, long stepsPerEpoch, List<Sensitivity> sensitivities,
            List<OperatingPoint> operatingPoints, List<Run> runs, List<Summary> summaries) {}

    /** Runs the benchmark; {@code log} receives progress lines. */
    public static Result run(FashionMnist data, Options o, Consumer<String> log) {
        long stepsPerEpoch = Steps.perEpoch(data.trainSize(), o.batchSize());
        List<Sensitivity> sens = new ArrayList<>();
        List<OperatingPoint> ops = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        for (long seed : o.seeds()) {
            Sensitivity s = o.arms().contains(Arm.ALLOC) || o.arms().contains(Arm.ALLOC_FT) ? sensitivity(data, o, seed, log) : null;
            if (s != null) {
                sens.add(s);
            }
            OperatingPoint op = o.arms().contains(Arm.ALLOC_OP) ? operatingPoint(data, o, seed, log) : null;
            if (op != null) {
                ops.add(op);
            }
            runs.addAll(runSeed(data, o, seed, stepsPerEpoch, s, op, log));
        }
        return new Result(o, data.source(), stepsPerEpoch, sens, ops, runs, summarize(o, runs));
    }

    /** Trains the dense model on the training part and measures and allocates on the validation part. */
    static Sensitivity sensitivity(FashionMnist data, Options o, long seed, Consumer<String> log) {
        long t0 = System.nanoTime();
        TrainValidationSplit split = data.split(o.validationFraction(), seed);
        MultiLayerNetwork net = ModelZoo.lenet300100(seed);
        DataSetIterator train = split.trainIterator(o.batchSize(), seed);
        for (int e = 1; e <= o.epochs(); e++) {
            net.fit(train);
        }
        double valAcc = net.evaluate(split.validationIterator(1000)).accuracy();
        log.accept(String.format(Locale.ROOT, "seed %d sensitivity model: %d epochs on %d images, validation accuracy %.4f",
                seed, o.epochs(), split.train().size(), valAcc));
        List<SensitivityCurve> curves = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(split.validationIterator(1000)))
                .optGrid(o.grid())
                .optProgress((done, total, c) -> log.accept(String.format(Locale.ROOT,
                        "seed %d sensitivity [%d/%d] %s: %s", seed, done, total, c.tensorId(), java.util.Arrays.toString(c.metrics()))))
                .build()
                .run(net);
        Allocation a = SparsityAllocator.minimizeLoss().allocate(curves, o.sparsity());
        log.accept(String.format(Locale.ROOT, "seed %d allocation: %s", seed, a));
        List<SensitivityCurve> recovered = null;
        Allocation ra = null;
        if (o.arms().contains(Arm.ALLOC_FT)) {
            DataSetIterator batches = split.trainIterator(o.batchSize(), seed + 1_000);
            recovered = SensitivityAnalysis.builder()
                    .setEvaluator(SensitivityAnalysis.accuracy(split.validationIterator(1000)))
                    .optGrid(o.grid())
                    .optRecovery(m -> {
                        for (int i = 0; i < o.recoverySteps(); i++) {
                            if (!batches.hasNext()) {
                                batches.reset();
                            }
                            ((MultiLayerNetwork) m).fit(batches.next());
                        }
                    })
                    .optProgress((done, total, c) -> log.accept(String.format(Locale.ROOT,
                            "seed %d recovered sensitivity [%d/%d] %s: %s", seed, done, total, c.tensorId(), java.util.Arrays.toString(c.metrics()))))
                    .build()
                    .run(net);
            ra = SparsityAllocator.minimizeLoss().allocate(recovered, o.sparsity());
            log.accept(String.format(Locale.ROOT, "seed %d allocation with recovery: %s", seed, ra));
        }
        return new Sensitivity(seed, valAcc, curves, a, recovered, ra, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Trains the operating-point model (global GMP to {@code operatingSparsity} on the training
     * part, same schedule shape in the part's steps), measures its survivor curves with recovery
     * on the validation part and allocates from it to the target.
     */
    static OperatingPoint operatingPoint(FashionMnist data, Options o, long seed, Consumer<String> log) {
        long t0 = System.nanoTime();
        TrainValidationSplit split = data.split(o.validationFraction(), seed);
        OperatingPointSensitivity.Settings settings = new OperatingPointSensitivity.Settings(o.operatingSparsity(), o.epochs(),
                o.batchSize(), o.beginEpoch(), o.endEpoch(), o.frequency(), o.operatingGrid(), o.recoverySteps());
        MultiLayerNetwork net = OperatingPointSensitivity.train(split, settings, seed, null);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        OperatingPointSensitivity.Result r = OperatingPointSensitivity.measure(net, split, settings, seed,
                (done, total, c) -> log.accept(String.format(Locale.ROOT,
                        "seed %d operating-point sensitivity [%d/%d] %s (%d survivors, baseline %.4f): %s", seed, done, total,
                        c.tensorId(), c.size(), c.baseline(), java.util.Arrays.toString(c.metrics()))));
        log.accept(String.format(Locale.ROOT, "seed %d operating point: global GMP to %s on %d images, %d epochs, sparsity %.6f,"
                        + " survivors %s, validation accuracy %.4f, %.0fs",
                seed, o.operatingSparsity(), split.train().size(), o.epochs(), r.achievedSparsity(), r.survivors(),
                r.validationAccuracy(), trainSeconds));
        Allocation a = r.allocate(o.sparsity());
        log.accept(String.format(Locale.ROOT, "seed %d allocation from the operating point: %s (%.0fs)", seed, a, r.analysisSeconds()));
        return new OperatingPoint(seed, o.operatingSparsity(), r.validationAccuracy(), r.survivors(), r.curves(), a, trainSeconds,
                r.analysisSeconds());
    }

    private static final class Trainee {
        final Arm arm;
        final MultiLayerNetwork net;
        final DataSetIterator iter;
        final PruningListener pruning;
        final List<Double> accuracy = new ArrayList<>();
        double seconds;

        Trainee(Arm arm, MultiLayerNetwork net, DataSetIterator iter, PruningListener pruning) {
            this.arm = arm;
            this.net = net;
            this.iter = iter;
            this.pruning = pruning;
            net.addListeners(pruning);
        }
    }

    static PruningConfig configFor(Arm arm, Options o, long stepsPerEpoch, Sensitivity s, OperatingPoint op) {
        PruningConfig base = o.baseConfig(stepsPerEpoch);
        return switch (arm) {
            case GLOBAL -> base.toBuilder().optScope(Scope.GLOBAL).build();
            case LAYER -> base;
            case ALLOC -> s.allocation().applyTo(base);
            case ALLOC_FT -> s.recoveredAllocation().applyTo(base);
            case ALLOC_OP -> op.allocation().applyTo(base);
        };
    }

    private static List<Run> runSeed(FashionMnist data, Options o, long seed, long stepsPerEpoch, Sensitivity s, OperatingPoint op,
            Consumer<String> log) {
        List<Trainee> ts = new ArrayList<>();
        for (Arm arm : o.arms()) {
            ts.add(new Trainee(arm, ModelZoo.lenet300100(seed), data.trainIterator(o.batchSize(), seed),
                    PruningListener.create(configFor(arm, o, stepsPerEpoch, s, op))));
        }
        for (int e = 1; e <= o.epochs(); e++) {
            for (Trainee t : ts) {
                long t0 = System.nanoTime();
                t.net.fit(t.iter);
                double secs = (System.nanoTime() - t0) / 1e9;
                t.seconds += secs;
                double acc = t.net.evaluate(data.testIterator(1000)).accuracy();
                t.accuracy.add(acc);
                log.accept(String.format(Locale.ROOT, "seed %d epoch %2d/%d %-7s test acc %.4f  sparsity %.4f  %.1fs",
                        seed, e, o.epochs(), t.arm.label(), acc, t.pruning.report().sparsity(), secs));
            }
        }
        List<Run> out = new ArrayList<>();
        for (Trainee t : ts) {
            double acc = t.accuracy.get(t.accuracy.size() - 1);
            int[] live = livePaths(t.net);
            out.add(new Run(t.arm.label(), seed, acc, List.copyOf(t.accuracy), ModelSparsity.report(t.net),
                    live[0], live[1], acc < COLLAPSE_ACCURACY || live[0] < ModelZoo.CLASSES, t.seconds));
        }
        return out;
    }

    /**
     * Live paths through the weight matrices (biases ignored): {@code [output units reachable from
     * the input through non-zero weights, hidden units not reachable or with no non-zero outgoing
     * weight to a reachable-forward unit]}.
     */
    static int[] livePaths(MultiLayerNetwork net) {
        int layers = net.getnLayers();
        List<boolean[][]> nonZero = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            INDArray w = net.getParam(l + "_W");
            long rows = w.rows();
            long cols = w.columns();
            float[] flat = w.dup('c').reshape(rows * cols).toFloatVector();
            boolean[][] nz = new boolean[(int) rows][(int) cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    nz[i][j] = flat[(int) (i * cols + j)] != 0f;
                }
            }
            nonZero.add(nz);
        }
        // forward reachability from the inputs
        List<boolean[]> fwd = new ArrayList<>();
        boolean[] reach = new boolean[nonZero.get(0).length];
        java.util.Arrays.fill(reach, true);
        fwd.add(reach);
        for (boolean[][] nz : nonZero) {
            boolean[] next = new boolean[nz[0].length];
            for (int i = 0; i < nz.length; i++) {
                if (reach[i]) {
                    for (int j = 0; j < next.length; j++) {
                        next[j] |= nz[i][j];
                    }
                }
            }
            reach = next;
            fwd.add(reach);
        }
        int liveOutputs = 0;
        for (boolean r : reach) {
            liveOutputs += r ? 1 : 0;
        }
        // backward reachability from the live outputs
        boolean[] back = reach.clone();
        int dead = 0;
        for (int l = nonZero.size() - 1; l >= 1; l--) {
            boolean[][] nz = nonZero.get(l);
            boolean[] prev = new boolean[nz.length];
            for (int i = 0; i < nz.length; i++) {
                for (int j = 0; j < back.length; j++) {
                    if (back[j] && nz[i][j]) {
                        prev[i] = true;
                        break;
                    }
                }
            }
            boolean[] f = fwd.get(l);
            for (int i = 0; i < prev.length; i++) {
                if (!(prev[i] && f[i])) {
                    dead++;
                }
            }
            back = prev;
        }
        return new int[] {liveOutputs, dead};
    }

    static List<Summary> summarize(Options o, List<Run> runs) {
        Map<String, List<Run>> byArm = new LinkedHashMap<>();
        for (Run r : runs) {
            byArm.computeIfAbsent(r.arm(), k -> new ArrayList<>()).add(r);
        }
        Map<Long, Run> global = new LinkedHashMap<>();
        for (Run r : byArm.getOrDefault(Arm.GLOBAL.label(), List.of())) {
            global.put(r.seed(), r);
        }
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byArm.entrySet()) {
            List<Run> rs = e.getValue();
            double[] acc = rs.stream().mapToDouble(Run::testAccuracy).toArray();
            double[] delta = global.isEmpty() ? new double[0]
                    : rs.stream().mapToDouble(r -> r.testAccuracy() - global.get(r.seed()).testAccuracy()).toArray();
            out.add(new Summary(e.getKey(), rs.size(), Stats.mean(acc), Stats.std(acc),
                    delta.length == 0 ? Double.NaN : Stats.mean(delta), delta.length == 0 ? Double.NaN : Stats.std(delta),
                    java.util.Arrays.stream(acc).min().orElse(Double.NaN), (int) rs.stream().filter(Run::collapsed).count()));
        }
        return out;
    }

    /** A text table: summaries, per-run accuracies and per-layer sparsities, and the allocations. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %5s %18s %20s %8s %9s%n",
                "arm", "seeds", "test acc (mean±sd)", "vs global (paired)", "min", "collapses"));
        for (Summary s : r.summaries()) {
            sb.append(String.format(Locale.ROOT, "%-7s %5d %10.2f ± %5.2f %+12.2f ± %5.2f %8.2f %9d%n",
                    s.arm(), s.seeds(), 100 * s.meanAccuracy(), 100 * s.stdAccuracy(),
                    100 * s.meanDeltaVsGlobal(), 100 * s.stdDeltaVsGlobal(), 100 * s.minAccuracy(), s.collapses()));
        }
        sb.append(System.lineSeparator()).append("per run (test accuracy, sparsity per tensor, live output classes, dead hidden units):")
                .append(System.lineSeparator());
        for (Run run : r.runs()) {
            StringBuilder layers = new StringBuilder();
            for (var t : run.sparsity().tensors()) {
                layers.append(String.format(Locale.ROOT, " %s=%.4f", t.id(), t.sparsity()));
            }
            sb.append(String.format(Locale.ROOT, "%-7s seed %d  acc %.4f %s  overall=%.4f  live=%d dead=%d%s%n",
                    run.arm(), run.seed(), run.testAccuracy(), layers, run.sparsity().sparsity(),
                    run.liveOutputClasses(), run.deadHiddenNeurons(), run.collapsed() ? "  COLLAPSED" : ""));
        }
        for (Sensitivity s : r.sensitivities()) {
            sb.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                    "seed %d allocation (dense validation accuracy %.4f):%n", s.seed(), s.denseValidationAccuracy()));
            sb.append(s.allocation().toTable());
            if (s.recoveredAllocation() != null) {
                sb.append(String.format(Locale.ROOT, "seed %d allocation from curves with recovery (%d steps):%n", s.seed(), r.options().recoverySteps()));
                sb.append(s.recoveredAllocation().toTable());
            }
        }
        for (OperatingPoint op : r.operatingPoints()) {
            sb.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                    "seed %d allocation from the operating point (S0 %s, survivors %s, validation accuracy %.4f,"
                            + " %.0f s training + %.0f s curves):%n",
                    op.seed(), op.operatingSparsity(), op.survivors(), op.validationAccuracy(), op.trainSeconds(), op.analysisSeconds()));
            sb.append(op.allocation().toTable());
        }
        return sb.toString();
    }
}
