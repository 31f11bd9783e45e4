package org.topiary.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.train.TrainingData;
import org.topiary.examples.train.ModelZoo;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.internal.Checks;

/**
 * The FMNIST-GMP benchmark ({@code shared/docs/DESIGN.md}): LeNet-300-100 trained dense and with
 * gradual magnitude pruning, back to back on the same data, seed (same initial weights) and batch
 * order. Epochs are interleaved (dense epoch 1, each pruned variant's epoch 1, dense epoch 2, …)
 * so that the machine's drift hits every run alike.
 *
 * <p>Listener overhead is measured directly: the wall time spent inside the pruning listener's
 * callbacks ({@link TimedListener}) divided by the dense run's training time. The pruned/dense
 * epoch-time ratio (median over epochs) is reported too; on a shared machine it is the noisier of
 * the two. The same ratio is also taken in CPU time of the training thread (listener CPU time /
 * dense training CPU time), which waiting for a busy core does not inflate.
 */
public final class GmpBench {
    private GmpBench() {}

    /** A pruned variant: target sparsity and scope. */
    public record Variant(double sparsity, Scope scope) {
        public Variant {
            Checks.inHalfOpenRange("sparsity", sparsity, 0.0, 1.0);
            Checks.notNull("scope", scope);
        }

        /** E.g. {@code layer-90}, {@code global-95}. */
        public String name() {
            return scope.name().toLowerCase(Locale.ROOT) + "-" + Math.round(sparsity * 100);
        }
    }

    /**
     * Benchmark settings. The schedule runs from the end of epoch {@code beginEpoch} to the end of
     * epoch {@code endEpoch} (protocol: 1 and 7 of 10), masks update every {@code frequency} steps
     * and at the end.
     */
    public record Options(
            List<Long> seeds, int epochs, int batchSize, int beginEpoch, int endEpoch, long frequency, List<Variant> variants) {
        public Options {
            seeds = List.copyOf(seeds);
            variants = List.copyOf(variants);
            Checks.isTrue(!seeds.isEmpty(), "seeds must not be empty");
            checkWindow(epochs, beginEpoch, endEpoch);
            Checks.positive("batchSize", batchSize);
            Checks.positive("frequency", frequency);
            Checks.isTrue(!variants.isEmpty(), "variants must not be empty");
        }

        /** FMNIST-GMP: seeds 1-3, 10 epochs, batch 128, GMP from epoch 1 to 7 every 100 steps. */
        public static Options protocol() {
            return new Options(
                    List.of(1L, 2L, 3L), 10, 128, 1, 7, 100,
                    List.of(new Variant(0.90, Scope.LAYER), new Variant(0.90, Scope.GLOBAL),
                            new Variant(0.95, Scope.LAYER), new Variant(0.95, Scope.GLOBAL)));
        }

        /**
         * One layer-wise variant at {@code sparsity} (the single pruned arm of {@code bench samediff}
         * and {@code bench parallel}); validates like the canonical constructor.
         */
        public static Options layerWise(
                List<Long> seeds, int epochs, int batchSize, int beginEpoch, int endEpoch, long frequency, double sparsity) {
            return new Options(seeds, epochs, batchSize, beginEpoch, endEpoch, frequency,
                    List.of(new Variant(sparsity, Scope.LAYER)));
        }

        /** The pruning configuration of a variant for {@code stepsPerEpoch}. */
        public PruningConfig configFor(Variant v, long stepsPerEpoch) {
            long begin = Steps.atEndOfEpoch(beginEpoch, stepsPerEpoch);
            long end = Steps.atEndOfEpoch(endEpoch, stepsPerEpoch);
            return PruningConfig.gradual(v.sparsity(), begin, end, frequency).toBuilder().optScope(v.scope()).build();
        }
    }

    /**
     * One trained network. {@code listenerSeconds} is 0 for the dense run; the {@code Gc} fields
     * are collector pauses that fell inside training and inside the listener's callbacks.
     */
    public record Run(
            String name,
            long seed,
            int epochs,
            double testAccuracy,
            List<Double> accuracyPerEpoch,
            SparsityReport sparsity,
            double trainSeconds,
            double examplesPerSecond,
            double listenerSeconds,
            List<Double> epochSeconds,
            List<SparsityEvent> history,
            double trainCpuSeconds,
            double listenerCpuSeconds,
            double trainGcSeconds,
            double listenerGcSeconds) {}

    /** Mean and sample standard deviation over seeds of one variant, paired against dense. */
    public record Summary(
            String name,
            int seeds,
            double meanAccuracy,
            double stdAccuracy,
            double meanDeltaVsDense,
            double stdDeltaVsDense,
            double meanSparsity,
            double medianOverhead,
            double medianEpochRatio,
            double medianCpuOverhead,
            double medianOverheadWithoutGc) {}

    /** All runs and their summaries. */
    public record Result(Options options, String dataSource, long stepsPerEpoch, List<Run> runs, List<Summary> summaries) {}

    /**
     * Checks the pruning window of the benchmark commands ({@code gmp}, {@code nm}, {@code alloc},
     * {@code samediff}, {@code parallel}) and names the command-line options in its messages: at
     * least one epoch, {@code 0 <= --begin-epoch < --end-epoch <= --epochs}.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    public static void checkWindow(int epochs, int beginEpoch, int endEpoch) {
        Checks.positive("--epochs", epochs);
        Checks.nonNegative("--begin-epoch", beginEpoch);
        Checks.isTrue(endEpoch > beginEpoch, "--end-epoch (%d) must be > --begin-epoch (%d)", endEpoch, beginEpoch);
        Checks.isTrue(endEpoch <= epochs, "--end-epoch (%d) must be <= --epochs (%d)", endEpoch, epochs);
    }

    /** Runs the benchmark; {@code log} receives one line per epoch and run. */
    public static Result run(TrainingData data, Options o, Consumer<String> log) {
        long stepsPerEpoch = Steps.perEpoch(data.trainSize(), o.batchSize());
        List<Run> runs = new ArrayList<>();
        for (long seed : o.seeds()) {
            runs.addAll(runSeed(data, o, seed, stepsPerEpoch, log));
        }
        return new Result(o, data.source(), stepsPerEpoch, runs, summarize(o, runs));
    }

    private static final class Arm {
        final String name;
        final MultiLayerNetwork net;
        final DataSetIterator iter;
        final TimedListener timer;
        final PruningListener pruning;
        final List<Double> accuracy = new ArrayList<>();
        final List<Double> epochSeconds = new ArrayList<>();
        long trainCpuNanos;
        long trainGcMillis;

        Arm(String name, MultiLayerNetwork net, DataSetIterator iter, PruningListener pruning) {
            this.name = name;
            this.net = net;
            this.iter = iter;
            this.pruning = pruning;
            this.timer = pruning == null ? null : TimedListener.of(pruning);
            if (timer != null) {
                net.addListeners(timer);
            }
        }
    }

    private static List<Run> runSeed(TrainingData data, Options o, long seed, long stepsPerEpoch, Consumer<String> log) {
        List<Arm> arms = new ArrayList<>();
        arms.add(new Arm("dense", ModelZoo.lenet300100(seed), data.trainIterator(o.batchSize(), seed), null));
        for (Variant v : o.variants()) {
            MultiLayerNetwork net = ModelZoo.lenet300100(seed);
            PruningListener p = PruningListener.create(o.configFor(v, stepsPerEpoch));
            arms.add(new Arm(v.name(), net, data.trainIterator(o.batchSize(), seed), p));
        }
        for (int e = 1; e <= o.epochs(); e++) {
            for (Arm a : arms) {
                long gc0 = GcPauses.millis();
                long cpu0 = ThreadCpu.nanos();
                long t0 = System.nanoTime();
                a.net.fit(a.iter);
                double secs = (System.nanoTime() - t0) / 1e9;
                a.trainCpuNanos += ThreadCpu.nanos() - cpu0;
                a.trainGcMillis += GcPauses.millis() - gc0;
                a.epochSeconds.add(secs);
                double acc = a.net.evaluate(data.testIterator(1000)).accuracy();
                a.accuracy.add(acc);
                log.accept(String.format(Locale.ROOT, "seed %d epoch %2d/%d %-10s acc %.4f  %.2fs%s",
                        seed, e, o.epochs(), a.name, acc, secs,
                        a.pruning == null ? "" : String.format(Locale.ROOT, "  sparsity %.4f", a.pruning.report().sparsity())));
            }
        }
        List<Run> out = new ArrayList<>();
        for (Arm a : arms) {
            double train = a.epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
            out.add(new Run(
                    a.name, seed, o.epochs(), a.accuracy.get(a.accuracy.size() - 1), List.copyOf(a.accuracy),
                    ModelSparsity.report(a.net), train, (double) data.trainSize() * o.epochs() / train,
                    a.timer == null ? 0.0 : a.timer.seconds(), List.copyOf(a.epochSeconds),
                    a.pruning == null ? List.of() : List.copyOf(a.pruning.history()),
                    a.trainCpuNanos / 1e9, a.timer == null ? 0.0 : a.timer.cpuSeconds(),
                    a.trainGcMillis / 1e3, a.timer == null ? 0.0 : a.timer.gcSeconds()));
        }
        return out;
    }

    private static double ratioOrZero(double part, double whole) {
        return whole > 0 ? part / whole : 0.0;
    }

    static List<Summary> summarize(Options o, List<Run> runs) {
        Map<String, List<Run>> byName = new LinkedHashMap<>();
        for (Run r : runs) {
            byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
        Map<Long, Run> dense = new LinkedHashMap<>();
        for (Run r : byName.getOrDefault("dense", List.of())) {
            dense.put(r.seed(), r);
        }
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byName.entrySet()) {
            List<Run> rs = e.getValue();
            double[] acc = rs.stream().mapToDouble(Run::testAccuracy).toArray();
            double[] delta = rs.stream().mapToDouble(r -> r.testAccuracy() - dense.get(r.seed()).testAccuracy()).toArray();
            double[] sparsity = rs.stream().mapToDouble(r -> r.sparsity().sparsity()).toArray();
            double[] overhead = rs.stream().mapToDouble(r -> r.listenerSeconds() / dense.get(r.seed()).trainSeconds()).toArray();
            double[] cpuOverhead = rs.stream()
                    .mapToDouble(r -> ratioOrZero(r.listenerCpuSeconds(), dense.get(r.seed()).trainCpuSeconds()))
                    .toArray();
            // the listener's time without the collector pauses inside it, over the dense training
            // time without its pauses: both sides lose the collector's work
            double[] withoutGc = rs.stream()
                    .mapToDouble(r -> ratioOrZero(r.listenerSeconds() - r.listenerGcSeconds(),
                            dense.get(r.seed()).trainSeconds() - dense.get(r.seed()).trainGcSeconds()))
                    .toArray();
            double[] ratios = rs.stream().flatMapToDouble(r -> {
                Run d = dense.get(r.seed());
                double[] x = new double[r.epochSeconds().size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.epochSeconds().get(i) / d.epochSeconds().get(i);
                }
                return Arrays.stream(x);
            }).toArray();
            out.add(new Summary(e.getKey(), rs.size(), Stats.mean(acc), Stats.std(acc), Stats.mean(delta), Stats.std(delta),
                    Stats.mean(sparsity), Stats.median(overhead), Stats.median(ratios), Stats.median(cpuOverhead),
                    Stats.median(withoutGc)));
        }
        return out;
    }

    /** A text table of the summaries and the per-layer sparsity of every pruned run. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-10s %5s %18s %18s %9s %10s %10s %10s %11s%n",
                "run", "seeds", "test acc (mean±sd)", "vs dense (paired)", "sparsity", "overhead", "(cpu)", "(no gc)", "epoch ratio"));
        for (Summary s : r.summaries()) {
            sb.append(String.format(Locale.ROOT, "%-10s %5d %10.2f ± %5.2f %+10.2f ± %5.2f %9.4f %9.2f%% %9.2f%% %9.2f%% %11.3f%n",
                    s.name(), s.seeds(), 100 * s.meanAccuracy(), 100 * s.stdAccuracy(),
                    100 * s.meanDeltaVsDense(), 100 * s.stdDeltaVsDense(), s.meanSparsity(),
                    100 * s.medianOverhead(), 100 * s.medianCpuOverhead(), 100 * s.medianOverheadWithoutGc(),
                    s.medianEpochRatio()));
        }
        sb.append(System.lineSeparator()).append("per-layer sparsity (exact zeros) at the end:").append(System.lineSeparator());
        for (Run run : r.runs()) {
            StringBuilder layers = new StringBuilder();
            for (TensorSparsity t : run.sparsity().tensors()) {
                layers.append(String.format(Locale.ROOT, "  %s=%.4f", t.id(), t.sparsity()));
            }
            sb.append(String.format(Locale.ROOT, "%-10s seed %d%s%n", run.name(), run.seed(), layers));
        }
        return sb.toString();
    }
}
