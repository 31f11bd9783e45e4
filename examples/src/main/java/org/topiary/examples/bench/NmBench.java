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
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.structure.MatrixView;
import org.topiary.sparsity.structure.NOfMMasks;
import org.topiary.sparsity.structure.SparsityPattern;
import org.topiary.sparsity.structure.StructuredPruner;

/**
 * FMNIST-STRUCT, the N:M part ({@code shared/docs/DESIGN.md}, issue 5): LeNet-300-100 on
 * Fashion-MNIST (Adam 1e-3, batch 128), per seed three arms from the same initial weights and
 * batch order:
 *
 * <ul>
 *   <li>{@code dense}: {@code epochs} epochs (10);
 *   <li>{@code gradual-N:M}: the N:M pattern driven by a cubic schedule from the end of epoch
 *       {@code beginEpoch} to the end of {@code endEpoch} (1 to 7; the schedule's sparsity is the
 *       element sparsity, {@code round(s / (1 − n/m) · runs)} runs converted cheapest first, masks
 *       every {@code frequency} steps), then fine-tuned with fixed masks to {@code epochs};
 *   <li>{@code oneshot-N:M}: the trained dense model (weights and Adam state copied) pruned N:M in
 *       one shot, then {@code fineTuneEpochs} (2) epochs with fixed masks; its accuracy right after
 *       pruning, before fine-tuning, is reported too;
 *   <li>{@code dense-ft}: the control for the one-shot arm: the trained dense model trained for the
 *       same {@code fineTuneEpochs} more epochs, unpruned, on the same batch order.
 * </ul>
 *
 * <p>Each arm is also compared with the dense arm that trained as long ({@code dense} for gradual,
 * {@code dense-ft} for one-shot). After the last seed the inference time of the dense and the
 * gradual N:M model at batch 256 is measured interleaved (median of repeated calls): N:M gives no
 * speed-up inside ND4J, and the ratio shows it.
 *
 * <p>Dense and gradual epochs are interleaved. Every weight matrix (784→300, 300→100, 100→10) is
 * pruned: their input dimensions are multiples of 4 and 8. N:M gives no speedup inside ND4J (it
 * has no sparse tensor-core kernels; the masked matrices are multiplied dense); the pattern is for
 * runtimes that have such kernels.
 */
public final class NmBench {
    private NmBench() {}

    /** Benchmark settings. */
    public record Options(
            List<Long> seeds, int epochs, int batchSize, int beginEpoch, int endEpoch, long frequency,
            int fineTuneEpochs, int n, int m) {
        public Options {
            seeds = List.copyOf(seeds);
            Checks.isTrue(!seeds.isEmpty(), "seeds must not be empty");
            GmpBench.checkWindow(epochs, beginEpoch, endEpoch);
            Checks.positive("batchSize", batchSize);
            Checks.positive("frequency", frequency);
            Checks.positive("fineTuneEpochs", fineTuneEpochs);
            SparsityPattern.nOfM(n, m);
        }

        /** The protocol: seeds 1-3, 10 epochs, batch 128, gradual from epoch 1 to 7 every 100 steps, 2:4, 2 fine-tune epochs. */
        public static Options protocol() {
            return new Options(List.of(1L, 2L, 3L), 10, 128, 1, 7, 100, 2, 2, 4);
        }

        /** The pattern. */
        public SparsityPattern.NOfM pattern() {
            return new SparsityPattern.NOfM(n, m);
        }

        /** The gradual arm's configuration. */
        public PruningConfig gradualConfig(long stepsPerEpoch) {
            long begin = Steps.atEndOfEpoch(beginEpoch, stepsPerEpoch);
            long end = Steps.atEndOfEpoch(endEpoch, stepsPerEpoch);
            return PruningConfig.builder()
                    .setSchedule(SparsitySchedule.polynomial(0.0, pattern().sparsity(), begin, end))
                    .optWindow(new UpdateWindow(begin, end, frequency))
                    .optPattern(pattern())
                    .build();
        }

        /** The one-shot arm's configuration: every run converted after the first fine-tune step. */
        public PruningConfig oneShotConfig(long step) {
            return PruningConfig.builder()
                    .setSchedule(SparsitySchedule.oneShot(pattern().sparsity(), step))
                    .optWindow(UpdateWindow.once(step))
                    .optPattern(pattern())
                    .build();
        }

        /** Arm names. */
        public String gradualName() {
            return "gradual-" + n + ":" + m;
        }

        /** Arm names. */
        public String oneShotName() {
            return "oneshot-" + n + ":" + m;
        }

        /** The one-shot arm's unpruned control. */
        public static final String DENSE_FT = "dense-ft";
    }

    /**
     * One trained network.
     *
     * @param accuracyBeforeFineTune one-shot arm: accuracy right after pruning; NaN otherwise
     * @param patternExact whether every weight matrix keeps exactly n in every run of m (mask and
     *     weights); true for dense by convention
     */
    public record Run(
            String name, long seed, int epochs, double testAccuracy, List<Double> accuracyPerEpoch,
            double accuracyBeforeFineTune, SparsityReport sparsity, boolean patternExact,
            double trainSeconds, List<Double> epochSeconds, List<SparsityEvent> history) {}

    /**
     * Mean and sample standard deviation over seeds, paired against dense (10 epochs) and against the
     * dense arm that trained as long ({@code dense-ft} for one-shot, else {@code dense}).
     */
    public record Summary(
            String name, int seeds, double meanAccuracy, double stdAccuracy, double meanDeltaVsDense,
            double stdDeltaVsDense, double meanDeltaVsEqualTraining, double stdDeltaVsEqualTraining,
            double meanSparsity, boolean allPatternsExact, boolean targetMet) {}

    /**
     * Inference time of one forward pass at batch 256, dense vs gradual N:M model of the last seed,
     * interleaved.
     *
     * @param denseMillis median over {@code repeats} calls
     * @param nmMillis median over {@code repeats} calls
     * @param ratio {@code nmMillis / denseMillis}
     */
    public record Latency(int batch, int repeats, double denseMillis, double nmMillis, double ratio) {}

    /** All runs and summaries; the target is "N:M ≥ dense − 0.5 pt after fine-tuning". */
    public record Result(Options options, String dataSource, long stepsPerEpoch, List<Run> runs, List<Summary> summaries, Latency latency) {}

    /** The accuracy target: mean paired delta vs dense ≥ −0.5 pt. */
    public static final double TARGET_DELTA = -0.005;

    /** Runs the benchmark; {@code log} receives one line per epoch and arm. */
    public static Result run(TrainingData data, Options o, Consumer<String> log) {
        long stepsPerEpoch = Steps.perEpoch(data.trainSize(), o.batchSize());
        List<Run> runs = new ArrayList<>();
        MultiLayerNetwork[] last = new MultiLayerNetwork[2];
        for (long seed : o.seeds()) {
            runs.addAll(runSeed(data, o, seed, stepsPerEpoch, log, last));
        }
        Latency latency = latency(last[0], last[1], data, 256, 30);
        log.accept(String.format(Locale.ROOT, "inference at batch %d: dense %.2f ms, %s %.2f ms, ratio %.3f",
                latency.batch(), latency.denseMillis(), o.gradualName(), latency.nmMillis(), latency.ratio()));
        return new Result(o, data.source(), stepsPerEpoch, runs, summarize(runs, o), latency);
    }

    /** Median forward time at {@code batch} of two models, calls interleaved after a warm-up. */
    static Latency latency(MultiLayerNetwork dense, MultiLayerNetwork nm, TrainingData data, int batch, int repeats) {
        INDArray x = data.testIterator(batch).next().getFeatures();
        for (int i = 0; i < 5; i++) {
            dense.output(x);
            nm.output(x);
        }
        double[] d = new double[repeats];
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            dense.output(x);
            long t1 = System.nanoTime();
            nm.output(x);
            long t2 = System.nanoTime();
            d[i] = (t1 - t0) / 1e6;
            s[i] = (t2 - t1) / 1e6;
        }
        double dm = Stats.median(d);
        double sm = Stats.median(s);
        return new Latency(batch, repeats, dm, sm, sm / dm);
    }

    private static final class Arm {
        final String name;
        final MultiLayerNetwork net;
        final DataSetIterator iter;
        final PruningListener pruning;
        final List<Double> accuracy = new ArrayList<>();
        final List<Double> epochSeconds = new ArrayList<>();

        Arm(String name, MultiLayerNetwork net, DataSetIterator iter, PruningListener pruning) {
            this.name = name;
            this.net = net;
            this.iter = iter;
            this.pruning = pruning;
        }

        void epoch(TrainingData data, long seed, int e, int of, Consumer<String> log) {
            long t0 = System.nanoTime();
            net.fit(iter);
            double secs = (System.nanoTime() - t0) / 1e9;
            epochSeconds.add(secs);
            double acc = net.evaluate(data.testIterator(1000)).accuracy();
            accuracy.add(acc);
            log.accept(String.format(Locale.ROOT, "seed %d epoch %2d/%d %-12s acc %.4f  %.2fs%s", seed, e, of, name, acc, secs,
                    pruning == null ? "" : String.format(Locale.ROOT, "  sparsity %.4f", pruning.report().sparsity())));
        }

        Run toRun(long seed, double beforeFineTune, SparsityPattern.NOfM p) {
            double train = epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
            return new Run(name, seed, accuracy.size(), accuracy.get(accuracy.size() - 1), List.copyOf(accuracy), beforeFineTune,
                    ModelSparsity.report(net), pruning == null || patternExact(net, pruning, p), train, List.copyOf(epochSeconds),
                    pruning == null ? List.of() : List.copyOf(pruning.history()));
        }
    }

    private static List<Run> runSeed(
            TrainingData data, Options o, long seed, long stepsPerEpoch, Consumer<String> log, MultiLayerNetwork[] last) {
        Arm dense = new Arm("dense", ModelZoo.lenet300100(seed), data.trainIterator(o.batchSize(), seed), null);
        MultiLayerNetwork gNet = ModelZoo.lenet300100(seed);
        Arm gradual = new Arm(o.gradualName(), gNet, data.trainIterator(o.batchSize(), seed),
                PruningListener.attach(gNet, o.gradualConfig(stepsPerEpoch)));
        for (int e = 1; e <= o.epochs(); e++) {
            dense.epoch(data, seed, e, o.epochs(), log);
            gradual.epoch(data, seed, e, o.epochs(), log);
        }
        MultiLayerNetwork copy = dense.net.clone();
        Arm control = new Arm(Options.DENSE_FT, dense.net.clone(), data.trainIterator(o.batchSize(), seed), null);
        double before = oneShotAccuracy(copy.clone(), o, data);
        long next = dense.net.getLayerWiseConfigurations().getIterationCount() + 1L;
        Arm oneShot = new Arm(o.oneShotName(), copy, data.trainIterator(o.batchSize(), seed),
                PruningListener.attach(copy, o.oneShotConfig(next)));
        log.accept(String.format(Locale.ROOT, "seed %d %s right after pruning: acc %.4f", seed, oneShot.name, before));
        for (int e = 1; e <= o.fineTuneEpochs(); e++) {
            control.epoch(data, seed, e, o.fineTuneEpochs(), log);
            oneShot.epoch(data, seed, e, o.fineTuneEpochs(), log);
        }
        last[0] = dense.net;
        last[1] = gradual.net;
        return List.of(dense.toRun(seed, Double.NaN, o.pattern()), gradual.toRun(seed, Double.NaN, o.pattern()),
                control.toRun(seed, Double.NaN, o.pattern()), oneShot.toRun(seed, before, o.pattern()));
    }

    /** Test accuracy of {@code net} after masking every weight matrix N:M by magnitude (no training). */
    static double oneShotAccuracy(MultiLayerNetwork net, Options o, TrainingData data) {
        StructuredPruner p = StructuredPruner.of(o.oneShotConfig(1));
        for (int i = 0; i < net.getnLayers(); i++) {
            INDArray w = net.getParam(i + "_W");
            MatrixView v = MatrixView.inputsByOutputs(i + "_W", w.shape());
            INDArray mask = p.semiStructuredMask(PrunableTensor.of(i + "_W", w, null), v, 1);
            w.muli(mask.castTo(w.dataType()));
        }
        return net.evaluate(data.testIterator(1000)).accuracy();
    }

    private static boolean patternExact(MultiLayerNetwork net, PruningListener pruning, SparsityPattern.NOfM p) {
        for (int i = 0; i < net.getnLayers(); i++) {
            String id = i + "_W";
            INDArray w = net.getParam(id);
            MatrixView v = MatrixView.inputsByOutputs(id, w.shape());
            INDArray mask = pruning.state().mask(id);
            if (mask == null || !NOfMMasks.isNOfM(v, p, mask) || !NOfMMasks.isNOfM(v, p, Transforms.abs(w, true).gt(0))) {
                return false;
            }
        }
        return true;
    }

    static List<Summary> summarize(List<Run> runs, Options o) {
        Map<String, List<Run>> byName = new LinkedHashMap<>();
        for (Run r : runs) {
            byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
        Map<Long, Run> dense = new LinkedHashMap<>();
        for (Run r : byName.getOrDefault("dense", List.of())) {
            dense.put(r.seed(), r);
        }
        Map<Long, Run> denseFt = new LinkedHashMap<>();
        for (Run r : byName.getOrDefault(Options.DENSE_FT, List.of())) {
            denseFt.put(r.seed(), r);
        }
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byName.entrySet()) {
            List<Run> rs = e.getValue();
            double[] acc = rs.stream().mapToDouble(Run::testAccuracy).toArray();
            double[] delta = rs.stream().mapToDouble(r -> r.testAccuracy() - dense.get(r.seed()).testAccuracy()).toArray();
            double[] sparsity = rs.stream().mapToDouble(r -> r.sparsity().sparsity()).toArray();
            Map<Long, Run> reference = e.getKey().equals(o.oneShotName()) || e.getKey().equals(Options.DENSE_FT) ? denseFt : dense;
            double[] equal = rs.stream().mapToDouble(r -> r.testAccuracy() - reference.get(r.seed()).testAccuracy()).toArray();
            boolean exact = rs.stream().allMatch(Run::patternExact);
            boolean pruned = e.getKey().equals(o.gradualName()) || e.getKey().equals(o.oneShotName());
            boolean met = !pruned || Stats.mean(delta) >= TARGET_DELTA;
            out.add(new Summary(e.getKey(), rs.size(), Stats.mean(acc), Stats.std(acc), Stats.mean(delta), Stats.std(delta),
                    Stats.mean(equal), Stats.std(equal), Stats.mean(sparsity), exact, met));
        }
        return out;
    }

    /** A text table of the summaries and the runs. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-12s %5s %18s %18s %18s %9s %7s %7s%n",
                "run", "seeds", "test acc (mean±sd)", "vs dense (paired)", "vs equal training", "sparsity", "exact", "target"));
        for (Summary s : r.summaries()) {
            boolean pruned = s.name().equals(r.options().gradualName()) || s.name().equals(r.options().oneShotName());
            sb.append(String.format(Locale.ROOT, "%-12s %5d %10.2f ± %5.2f %+10.2f ± %5.2f %+10.2f ± %5.2f %9.4f %7s %7s%n",
                    s.name(), s.seeds(), 100 * s.meanAccuracy(), 100 * s.stdAccuracy(), 100 * s.meanDeltaVsDense(),
                    100 * s.stdDeltaVsDense(), 100 * s.meanDeltaVsEqualTraining(), 100 * s.stdDeltaVsEqualTraining(),
                    s.meanSparsity(), s.allPatternsExact() ? "yes" : "NO", !pruned ? "" : s.targetMet() ? "met" : "MISSED"));
        }
        sb.append("(vs equal training: gradual vs dense, 10 epochs each; one-shot vs dense-ft, 10 + ")
                .append(r.options().fineTuneEpochs()).append(" epochs each)").append(System.lineSeparator());
        sb.append(System.lineSeparator()).append("runs (test accuracy; one-shot: before -> after fine-tuning; train seconds):")
                .append(System.lineSeparator());
        for (Run run : r.runs()) {
            sb.append(String.format(Locale.ROOT, "%-12s seed %d  %s%.4f  sparsity %.4f  %.1fs  median epoch %.2fs%n",
                    run.name(), run.seed(),
                    Double.isNaN(run.accuracyBeforeFineTune()) ? "" : String.format(Locale.ROOT, "%.4f -> ", run.accuracyBeforeFineTune()),
                    run.testAccuracy(), run.sparsity().sparsity(), run.trainSeconds(),
                    Stats.median(run.epochSeconds().stream().mapToDouble(Double::doubleValue).toArray())));
        }
        Latency l = r.latency();
        sb.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                "inference at batch %d (median of %d interleaved calls): dense %.2f ms, %s %.2f ms, ratio %.3f%n",
                l.batch(), l.repeats(), l.denseMillis(), r.options().gradualName(), l.nmMillis(), l.ratio()));
        sb.append("N:M gives no speedup inside ND4J: it has no sparse tensor-core kernels, the masked")
                .append(System.lineSeparator()).append("matrices are multiplied dense. The pattern is for runtimes that have such kernels.")
                .append(System.lineSeparator());
        return sb.toString();
    }
}
