package org.topiary.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.internal.Checks;

/**
 * FMNIST-PARALLEL: the FMNIST-GMP protocol ({@code shared/docs/DESIGN.md}, layer-wise GMP of
 * LeNet-300-100, Adam 1e-3, batch 128) trained twice per seed from the same initial weights
 * ({@code ModelZoo.lenet300100(seed)}) and the same batch order ({@code data.trainIterator(batch,
 * seed)}): arm {@code single} fits the network with a {@link PruningListener} (GmpBench's
 * layer-wise arm), arm {@code pw-W} fits it through DL4J's {@link ParallelWrapper} with {@code W}
 * workers and parameter averaging ({@code TrainingMode.AVERAGING}, params and Adam state averaged
 * every {@code averagingFrequency} rounds).
 *
 * <p><b>Steps.</b> Under the wrapper a step is one round (one minibatch on each worker), so an
 * epoch of {@code N} minibatches is {@code ⌈N/W⌉} steps ({@link #roundsPerEpoch}); the schedule of
 * the wrapper arm is {@link GmpBench.Options#configFor} with that many steps per epoch, so both
 * arms prune from the end of the same epoch to the end of the same epoch, but masks change every
 * {@code frequency} rounds ({@code frequency·W} minibatches) in the wrapper arm.
 *
 * <p><b>Timing.</b> The arms alternate epoch by epoch (odd epochs single first, even epochs the
 * wrapper first); each seed builds one wrapper, calls its {@code fit(iterator)} once per epoch
 * (each call starts and closes its replica threads, copying the original model's params and
 * updater state: part of the epoch time) and closes it at the end. Wall time and process CPU time
 * (all threads) are taken around each {@code fit}; evaluation is excluded. Native threads are the
 * session's (one per op by default, process-wide), so each worker runs its ops on one thread.
 */
public final class ParallelBench {
    private ParallelBench() {}

    /** Label of the arm without the wrapper. */
    public static final String SINGLE = "single";

    /**
     * Benchmark settings: the FMNIST-GMP window (masks change from the end of epoch {@code
     * beginEpoch} to the end of epoch {@code endEpoch}, every {@code frequency} steps and at the
     * end), layer-wise scope, final {@code sparsity} per weight tensor; the wrapper's {@code
     * workers}, {@code averagingFrequency} (rounds between averagings) and {@code prefetchBuffer}
     * (minibatches the wrapper's {@code AsyncDataSetIterator} reads ahead in all, on a single-device
     * CPU backend; not per worker). With {@code pruned} false neither arm has a pruning
     * listener (the wrapper's own cost, for comparison); the window is still validated.
     */
    public record Options(
            List<Long> seeds, int epochs, int batchSize, int beginEpoch, int endEpoch, long frequency, double sparsity,
            int workers, int averagingFrequency, int prefetchBuffer, boolean pruned) {
        public Options {
            seeds = List.copyOf(seeds);
            // a repeated seed would pair one run's wrapper epochs with another run's single epochs
            Checks.isTrue(new LinkedHashSet<>(seeds).size() == seeds.size(), "--seeds names a seed twice: %s", seeds);
            Checks.isTrue(workers >= 2, "--workers must be >= 2 (1 is the single arm), found %d", workers);
            Checks.isTrue(averagingFrequency >= 1, "--averaging-frequency must be >= 1 round, found %d", averagingFrequency);
            Checks.isTrue(prefetchBuffer >= 1, "--prefetch must be >= 1 minibatch, found %d", prefetchBuffer);
            GmpBench.Options.layerWise(seeds, epochs, batchSize, beginEpoch, endEpoch, frequency, sparsity); // validates the rest
        }

        /** FMNIST-PARALLEL: seeds 1-3, 10 epochs, batch 128, layer-wise 0.90 from epoch 1 to 7 every 100 steps, 2 workers averaging every round. */
        public static Options protocol() {
            return new Options(List.of(1L, 2L, 3L), 10, 128, 1, 7, 100, 0.9, 2, 1, 2, true);
        }

        /** The pruning configuration for {@code stepsPerEpoch} steps per epoch, from {@link GmpBench.Options#configFor}. */
        public PruningConfig config(long stepsPerEpoch) {
            GmpBench.Options g = GmpBench.Options.layerWise(seeds, epochs, batchSize, beginEpoch, endEpoch, frequency, sparsity);
            return g.configFor(g.variants().get(0), stepsPerEpoch);
        }

        /** Label of the wrapper arm, e.g. {@code pw-2}. */
        public String parallelLabel() {
            return "pw-" + workers;
        }
    }

    /** Steps per epoch under a wrapper with {@code workers} workers: {@code ⌈batches/workers⌉} rounds. */
    public static long roundsPerEpoch(long batches, int workers) {
        Checks.positive("batches", batches);
        Checks.positive("workers", (long) workers);
        return (batches + workers - 1) / workers;
    }

    /**
     * One trained arm of one seed. {@code steps} is the network's iteration count at the end
     * (epochs × steps per epoch); {@code epochCpuSeconds} is process CPU time (all threads);
     * {@code sparsityPerEpoch} the exact zeros of each weight tensor after each epoch; {@code
     * batchHashes} an order-sensitive hash of the labels of the batches each epoch consumed.
     */
    public record Run(
            String arm,
            long seed,
            long stepsPerEpoch,
            long steps,
            List<Double> accuracyPerEpoch,
            List<Double> epochSeconds,
            List<Double> epochCpuSeconds,
            List<SparsityReport> sparsityPerEpoch,
            List<Long> batchHashes,
            List<Integer> batchesPerEpoch,
            List<SparsityEvent> history) {

        /** Test accuracy after the last epoch. */
        public double testAccuracy() {
            return accuracyPerEpoch.get(accuracyPerEpoch.size() - 1);
        }

        /** Exact per-weight sparsity at the end. */
        public SparsityReport sparsity() {
            return sparsityPerEpoch.get(sparsityPerEpoch.size() - 1);
        }

        /** Sum of the epoch times. */
        public double trainSeconds() {
            return epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Sum of the epochs' process CPU times. */
        public double trainCpuSeconds() {
            return epochCpuSeconds.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * One arm over all seeds: mean and sample sd of the final test accuracy, the paired difference
     * to {@code single} of the same seed (this − single), mean sparsity, and the median over all
     * seeds' epochs of this arm's epoch wall (and process CPU) time divided by single's of the same
     * seed and epoch (1 for single).
     */
    public record Summary(
            String arm,
            int seeds,
            double meanAccuracy,
            double stdAccuracy,
            double meanDeltaVsSingle,
            double stdDeltaVsSingle,
            double meanSparsity,
            double medianEpochRatio,
            double medianCpuRatio) {}

    /**
     * All runs (per seed: single, then the wrapper arm) and one summary per arm. {@code
     * sameBatchOrder}: every epoch of every seed fed both arms the same batch fingerprints;
     * {@code sameInitialParams}: both networks of every seed started with bit-for-bit equal params.
     */
    public record Result(
            Options options, String dataSource, long batchesPerEpoch, long roundsPerEpoch, List<Run> runs,
            List<Summary> summaries, boolean sameBatchOrder, boolean sameInitialParams) {}

    /** Runs the benchmark; {@code log} receives one line per epoch and arm. */
    public static Result run(TrainingData data, Options o, Consumer<String> log) {
        long batches = Steps.perEpoch(data.trainSize(), o.batchSize());
        long rounds = roundsPerEpoch(batches, o.workers());
        List<Run> runs = new ArrayList<>();
        boolean sameInit = true;
        for (long seed : o.seeds()) {
            SeedRuns s = runSeed(data, o, seed, batches, rounds, log);
            runs.add(s.single);
            runs.add(s.parallel);
            sameInit &= s.sameInit;
        }
        boolean sameOrder = true;
        for (int i = 0; i < runs.size(); i += 2) {
            sameOrder &= runs.get(i).batchHashes().equals(runs.get(i + 1).batchHashes())
                    && runs.get(i).batchesPerEpoch().equals(runs.get(i + 1).batchesPerEpoch());
        }
        return new Result(o, data.source(), batches, rounds, runs, summarize(o, runs), sameOrder, sameInit);
    }

    private record SeedRuns(Run single, Run parallel, boolean sameInit) {}

    private static final class Arm {
        final String label;
        final long stepsPerEpoch;
        final MultiLayerNetwork net;
        final PruningListener pruning;
        final BatchFingerprint iter;
        final ParallelWrapper wrapper;
        final List<Double> accuracy = new ArrayList<>();
        final List<Double> seconds = new ArrayList<>();
        final List<Double> cpuSeconds = new ArrayList<>();
        final List<SparsityReport> sparsity = new ArrayList<>();
        final List<Long> hashes = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();

        Arm(String label, long stepsPerEpoch, MultiLayerNetwork net, PruningListener pruning, BatchFingerprint iter,
                ParallelWrapper wrapper) {
            this.label = label;
            this.stepsPerEpoch = stepsPerEpoch;
            this.net = net;
            this.pruning = pruning;
            this.iter = iter;
            this.wrapper = wrapper;
        }

        void epoch(TrainingData data, long seed, int e, Options o, Consumer<String> log) {
            long cpu0 = ProcessCpu.nanos();
            long t0 = System.nanoTime();
            if (wrapper == null) {
                net.fit(iter);
            } else {
                wrapper.fit(iter);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (ProcessCpu.nanos() - cpu0) / 1e9;
            BatchFingerprint.Epoch f = iter.take();
            double acc = net.evaluate(data.testIterator(1000)).accuracy();
            SparsityReport report = ModelSparsity.report(net);
            seconds.add(secs);
            cpuSeconds.add(cpu);
            accuracy.add(acc);
            sparsity.add(report);
            hashes.add(f.hash());
            batches.add(f.batches());
            log.accept(String.format(Locale.ROOT,
                    "seed %d epoch %2d/%d %-6s acc %.4f  %.2fs wall %.2fs cpu  step %d  sparsity %.4f",
                    seed, e, o.epochs(), label, acc, secs, cpu, net.getIterationCount(), report.sparsity()));
        }

        Run run(long seed) {
            return new Run(label, seed, stepsPerEpoch, net.getIterationCount(), List.copyOf(accuracy), List.copyOf(seconds),
                    List.copyOf(cpuSeconds), List.copyOf(sparsity), List.copyOf(hashes), List.copyOf(batches),
                    pruning == null ? List.of() : List.copyOf(pruning.history()));
        }
    }

    private static SeedRuns runSeed(TrainingData data, Options o, long seed, long batches, long rounds, Consumer<String> log) {
        MultiLayerNetwork singleNet = ModelZoo.lenet300100(seed);
        MultiLayerNetwork pwNet = ModelZoo.lenet300100(seed);
        boolean sameInit = sameParams(singleNet.params(), pwNet.params());
        Arm single = new Arm(SINGLE, batches, singleNet, o.pruned() ? PruningListener.attach(singleNet, o.config(batches)) : null,
                new BatchFingerprint(data.trainIterator(o.batchSize(), seed)), null);
        // attach before building: build() moves the model's listeners to the wrapper, which hands
        // this listener to every replica; the original model (worker 0) decides the masks
        PruningListener pwPruning = o.pruned() ? PruningListener.attach(pwNet, o.config(rounds)) : null;
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(pwNet)
                .workers(o.workers())
                .prefetchBuffer(o.prefetchBuffer())
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .averagingFrequency(o.averagingFrequency())
                .averageUpdaters(true)
                .reportScoreAfterAveraging(false)
                .build();
        return closing(wrapper, () -> {
            Arm parallel = new Arm(o.parallelLabel(), rounds, pwNet, pwPruning,
                    new BatchFingerprint(data.trainIterator(o.batchSize(), seed)), wrapper);
            for (int e = 1; e <= o.epochs(); e++) {
                Arm first = e % 2 == 1 ? single : parallel;
                Arm second = first == single ? parallel : single;
                first.epoch(data, seed, e, o, log);
                second.epoch(data, seed, e, o, log);
            }
            return new SeedRuns(single.run(seed), parallel.run(seed), sameInit);
        });
    }

    /**
     * Whether {@code a} and {@code b} have the same shape and bit-for-bit the same values. ({@code
     * INDArray.equals} allows a difference of up to {@code Nd4j.EPS_THRESHOLD}, 1e-5, per entry:
     * not "the same initial weights".)
     */
    static boolean sameParams(INDArray a, INDArray b) {
        return Arrays.equals(a.shape(), b.shape()) && a.dataType() == b.dataType()
                && Arrays.equals(a.ravel().toDoubleVector(), b.ravel().toDoubleVector());
    }

    /**
     * {@code body}'s result, {@code resource} closed afterwards either way ({@code
     * ParallelWrapper.close()} declares {@code Exception}). A failure of {@code body} is rethrown
     * with a failure to close added as suppressed, never replaced by it.
     */
    static <T> T closing(AutoCloseable resource, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException | Error e) {
            try {
                resource.close();
            } catch (Exception | Error c) {
                e.addSuppressed(c);
            }
            throw e;
        }
        try {
            resource.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + resource.getClass().getSimpleName() + " failed: " + e, e);
        }
        return result;
    }

    static List<Summary> summarize(Options o, List<Run> runs) {
        Map<Long, Run> single = new LinkedHashMap<>();
        runs.stream().filter(r -> r.arm().equals(SINGLE)).forEach(r -> single.put(r.seed(), r));
        List<Summary> out = new ArrayList<>();
        for (String arm : List.of(SINGLE, o.parallelLabel())) {
            List<Run> rs = runs.stream().filter(r -> r.arm().equals(arm)).toList();
            double[] acc = rs.stream().mapToDouble(Run::testAccuracy).toArray();
            double[] delta = rs.stream().mapToDouble(r -> r.testAccuracy() - single.get(r.seed()).testAccuracy()).toArray();
            double[] sparsity = rs.stream().mapToDouble(r -> r.sparsity().sparsity()).toArray();
            double[] wall = rs.stream().flatMapToDouble(r -> ratios(r.epochSeconds(), single.get(r.seed()).epochSeconds())).toArray();
            double[] cpu = rs.stream().flatMapToDouble(r -> ratios(r.epochCpuSeconds(), single.get(r.seed()).epochCpuSeconds())).toArray();
            out.add(new Summary(arm, rs.size(), Stats.mean(acc), Stats.std(acc), Stats.mean(delta), Stats.std(delta),
                    Stats.mean(sparsity), Stats.median(wall), Stats.median(cpu)));
        }
        return out;
    }

    /**
     * The per-epoch ratios {@code a/ref} where {@code ref} is positive (process CPU time is 0 where
     * the JVM cannot measure it): a NaN in the sample would sort last and shift the median.
     */
    private static java.util.stream.DoubleStream ratios(List<Double> a, List<Double> ref) {
        List<Double> x = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (ref.get(i) > 0) {
                x.add(a.get(i) / ref.get(i));
            }
        }
        return x.stream().mapToDouble(Double::doubleValue);
    }

    /** A text table of the summaries, then per seed each arm's accuracy, paired Δ, steps and per-weight sparsity. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        sb.append(String.format(Locale.ROOT, "%d minibatches per epoch: %d steps (single), %d rounds (%s, averaging every %d)%s%n",
                r.batchesPerEpoch(), r.batchesPerEpoch(), r.roundsPerEpoch(), r.options().parallelLabel(),
                r.options().averagingFrequency(), r.options().pruned() ? "" : "; dense: no pruning in either arm"));
        sb.append(String.format(Locale.ROOT, "%-6s %5s %18s %19s %9s %17s %16s%n",
                "arm", "seeds", "test acc (mean±sd)", "vs single (paired)", "sparsity", "epoch wall/single", "epoch cpu/single"));
        for (Summary s : r.summaries()) {
            sb.append(String.format(Locale.ROOT, "%-6s %5d %10.2f ± %5.2f %+11.2f ± %5.2f %9.4f %17.3f %16.3f%n",
                    s.arm(), s.seeds(), 100 * s.meanAccuracy(), 100 * s.stdAccuracy(), 100 * s.meanDeltaVsSingle(),
                    100 * s.stdDeltaVsSingle(), s.meanSparsity(), s.medianEpochRatio(), s.medianCpuRatio()));
        }
        sb.append(nl).append("same initial params: ").append(r.sameInitialParams())
                .append("; same batch order every epoch: ").append(r.sameBatchOrder()).append(nl);
        sb.append("per seed: final test accuracy, paired vs single, steps, train wall/cpu seconds, sparsity per weight (exact zeros)")
                .append(nl);
        Map<Long, Double> single = new LinkedHashMap<>();
        r.runs().stream().filter(x -> x.arm().equals(SINGLE)).forEach(x -> single.put(x.seed(), x.testAccuracy()));
        for (Run run : r.runs()) {
            StringBuilder layers = new StringBuilder();
            for (TensorSparsity t : run.sparsity().tensors()) {
                layers.append(String.format(Locale.ROOT, "  %s=%.4f", t.id(), t.sparsity()));
            }
            sb.append(String.format(Locale.ROOT, "%-6s seed %d  acc %.4f  %+.2f pt  steps %d  %.1fs/%.1fs%s%n",
                    run.arm(), run.seed(), run.testAccuracy(), 100 * (run.testAccuracy() - single.get(run.seed())),
                    run.steps(), run.trainSeconds(), run.trainCpuSeconds(), layers));
        }
        return sb.toString();
    }
}
