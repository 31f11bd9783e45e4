package org.topiary.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.surgery.ShrunkModel;
import org.topiary.sparsity.dl4j.surgery.SurgeryPlan;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.structure.LowestGroups;

/**
 * FMNIST-STRUCT ({@code DESIGN.md}): physically smaller networks from structured pruning, and
 * what they buy inside ND4J.
 *
 * <p>Per seed and model: train the dense network (Adam 1e-3, batch 128, {@code epochs}), remove
 * the fraction {@code f} of units with the lowest L1 norm of incoming weights in each hidden layer
 * ({@link #lowestL1Units}; LeNet-300-100: the neurons of {@code fc1} and {@code fc2}, 50% → 784-150-50-10,
 * 75% → 784-75-25-10; small CNN: the filters of {@code conv1} and {@code conv2}), shrink with
 * {@link SurgeryPlan} (the removed units' bias constants are folded into the next layer), measure
 * accuracy, fine-tune one epoch (the seed's batch order) and measure again. Fine-tuning ({@link
 * FineTune}): by default the full-size network with the removed units' incoming weights masked,
 * continuing the dense run's Adam state, then shrunk ({@code MASKED}: remove, fine-tune, shrink);
 * or the shrunk network with fresh Adam state ({@code SHRUNK}). The masked network's outputs (incoming weights of the removed units zeroed) and
 * the shrunk network's are compared on 256 test images ({@code max_abs_diff}).
 *
 * <p><b>Latency.</b> Inference ({@code output(x)}, inference mode) at batch 1 and 256 on test
 * images, dense and shrunk, after a warm-up; {@code rounds} rounds alternate which model goes
 * first, each round times a block of calls per model (about 100 ms of the dense model); the speedup is the median over rounds of
 * the per-round ratio dense/shrunk (paired, so slow drift of the machine cancels). Run it with
 * {@code --threads 1}: the ratios are for one native thread.
 *
 * <p>The small CNN takes 150–280 s per epoch on one thread, so its dense network may come from a
 * file ({@code cnnModel}, e.g. the FMNIST-KD teacher: the same {@code ModelZoo.smallCnn}, seed 1,
 * 10 epochs); then every seed prunes that network and only the fine-tuning order differs.
 *
 * <p>The 2:4 arms of FMNIST-STRUCT (one-shot + 2 epochs fine-tune, and gradual) are {@link
 * NmBench}'s; {@code topiary bench struct} runs them as its {@code nm} arm.
 */
public final class StructBench {

    /** The model arms: LeNet-300-100 and the small CNN. */
    public static final List<String> ARMS = List.of("lenet", "cnn");

    private StructBench() {}

    /**
     * What to run.
     *
     * @param seeds seeds (init, batch order)
     * @param epochs dense training epochs
     * @param fractions fractions of hidden neurons removed from LeNet-300-100, each in (0, 1)
     * @param cnnFraction fraction of filters removed from each conv layer of the small CNN
     * @param arms subset of {@link #ARMS}
     * @param cnnModel a trained small CNN to prune instead of training one per seed, or null
     * @param fineTuneEpochs fine-tuning epochs
     * @param fineTune how to fine-tune: {@link FineTune#MASKED} or {@link FineTune#SHRUNK}
     * @param fineTuneLr learning rate while fine-tuning ({@code NaN}: the training rate, 1e-3)
     * @param rounds timing rounds (medians over rounds)
     * @param maxBatches minibatches per epoch (0: all), for smoke runs
     */
    public record Options(
            List<Long> seeds,
            int epochs,
            List<Double> fractions,
            double cnnFraction,
            Set<String> arms,
            Path cnnModel,
            int fineTuneEpochs,
            FineTune fineTune,
            double fineTuneLr,
            int rounds,
            int maxBatches) {

        /** Validates and copies. */
        public Options {
            Checks.isTrue(!seeds.isEmpty(), "seeds must not be empty");
            Checks.isTrue(epochs >= 1, "epochs must be >= 1, found %d", epochs);
            Checks.isTrue(!fractions.isEmpty(), "fractions must not be empty");
            for (double f : fractions) {
                Checks.isTrue(f > 0 && f < 1, "fractions must be in (0, 1), found %s", f);
            }
            Checks.isTrue(cnnFraction > 0 && cnnFraction < 1, "cnnFraction must be in (0, 1), found %s", cnnFraction);
            for (String a : arms) {
                Checks.isTrue(ARMS.contains(a), "unknown arm '%s'; arms: %s", a, ARMS);
            }
            Checks.isTrue(fineTuneEpochs >= 0, "fineTuneEpochs must be >= 0, found %d", fineTuneEpochs);
            Checks.notNull("fineTune", fineTune);
            Checks.isTrue(Double.isNaN(fineTuneLr) || fineTuneLr > 0, "fineTuneLr must be > 0, found %s", fineTuneLr);
            Checks.isTrue(rounds >= 1, "rounds must be >= 1, found %d", rounds);
            Checks.isTrue(maxBatches >= 0, "maxBatches must be >= 0, found %d", maxBatches);
            seeds = List.copyOf(seeds);
            fractions = List.copyOf(fractions);
            arms = Set.copyOf(arms);
        }
    }

    /** How the pruned network is fine-tuned. */
    public enum FineTune {
        /**
         * The full-size network with the removed units' incoming weights masked (a {@code
         * PruningListener} resumed with fixed masks), continuing the dense run's optimizer state,
         * then shrunk: remove, fine-tune, shrink.
         */
        MASKED,
        /** The shrunk network itself, with fresh optimizer state: remove, shrink, fine-tune. */
        SHRUNK;

        /** Parses {@code masked} or {@code shrunk}. */
        public static FineTune parse(String s) {
            for (FineTune f : values()) {
                if (f.name().equalsIgnoreCase(s)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("fine-tune mode must be one of masked, shrunk; found '" + s + "'");
        }
    }

    /**
     * Inference latency, milliseconds per call (medians over rounds), and the speedups (medians of
     * the per-round ratios dense / shrunk).
     */
    public record Latency(double denseB1Ms, double shrunkB1Ms, double speedupB1,
                          double denseB256Ms, double shrunkB256Ms, double speedupB256) {}

    /**
     * One shrunk network.
     *
     * @param model {@code lenet} or {@code cnn}
     * @param fraction fraction of units removed per pruned layer
     * @param seed the seed
     * @param denseAccuracy test accuracy of the dense network
     * @param accuracyBeforeFineTune test accuracy of the shrunk network before fine-tuning
     * @param accuracyAfterFineTune after fine-tuning
     * @param paramsBefore params of the dense network
     * @param paramsAfter params of the shrunk network
     * @param units units per layer, {@code "before->after"}
     * @param maxAbsDiff max |masked − shrunk| over 256 test images' outputs
     * @param latency dense vs shrunk
     * @param loadAverage the 1-minute load average before and after timing
     */
    public record Run(String model, double fraction, long seed, double denseAccuracy, double accuracyBeforeFineTune,
                      double accuracyAfterFineTune, long paramsBefore, long paramsAfter, Map<String, String> units,
                      double maxAbsDiff, Latency latency, double[] loadAverage) {

        /** {@code model-percent}, e.g. {@code lenet-50}. */
        public String name() {
            return model + "-" + Math.round(fraction * 100);
        }
    }

    /** The runs and where the data came from. */
    public record Result(String dataSource, Options options, List<Run> runs, String cnnSource) {}

    /**
     * Runs the benchmark.
     *
     * @param data Fashion-MNIST (or a subset)
     * @param o options
     * @param log progress lines
     * @return the runs
     */
    public static Result run(TrainingData data, Options o, Consumer<String> log) {
        List<Run> runs = new ArrayList<>();
        MultiLayerNetwork loadedCnn = null;
        String cnnSource = null;
        if (o.arms().contains("cnn")) {
            if (o.cnnModel() != null) {
                loadedCnn = load(o.cnnModel());
                cnnSource = o.cnnModel().toString();
            } else {
                cnnSource = "ModelZoo.smallCnn trained per seed, " + o.epochs() + " epochs";
            }
        }
        for (long seed : o.seeds()) {
            if (o.arms().contains("lenet")) {
                MultiLayerNetwork dense = ModelZoo.lenet300100(seed);
                long t0 = System.nanoTime();
                dense.fit(train(data, o, seed), o.epochs());
                log.accept(String.format(Locale.ROOT, "lenet seed=%d trained %d epochs in %.0f s", seed, o.epochs(),
                        (System.nanoTime() - t0) / 1e9));
                double acc = accuracy(dense, data);
                for (double f : o.fractions()) {
                    runs.add(shrinkAndMeasure("lenet", dense, layersOf(dense, DenseLayer.class), f, seed, acc, data, o, log));
                }
            }
            if (o.arms().contains("cnn")) {
                MultiLayerNetwork dense = loadedCnn;
                if (dense == null) {
                    dense = ModelZoo.smallCnn(seed);
                    dense.fit(train(data, o, seed), o.epochs());
                }
                double acc = accuracy(dense, data);
                runs.add(shrinkAndMeasure("cnn", dense, layersOf(dense, ConvolutionLayer.class), o.cnnFraction(), seed, acc,
                        data, o, log));
            }
        }
        return new Result(data.source(), o, runs, cnnSource);
    }

    private static Run shrinkAndMeasure(String model, MultiLayerNetwork dense, List<String> layers, double fraction, long seed,
                                        double denseAcc, TrainingData data, Options o, Consumer<String> log) {
        Map<String, List<Integer>> units = lowestL1Units(dense, layers, fraction);
        ShrunkModel shrunk = SurgeryPlan.of(dense, units).apply();
        MultiLayerNetwork small = shrunk.network();
        INDArray x256 = testFeatures(data, 256);
        MultiLayerNetwork masked = dense.clone();
        zeroIncoming(masked, units);
        double diff = masked.output(x256, false).sub(small.output(x256, false)).amaxNumber().doubleValue();
        double before = accuracy(small, data);
        double[] load = {loadAverage(), 0};
        Latency latency = latency(dense, small, data, o.rounds());
        load[1] = loadAverage();
        if (o.fineTuneEpochs() > 0 && o.fineTune() == FineTune.SHRUNK) {
            if (!Double.isNaN(o.fineTuneLr())) {
                small.setLearningRate(o.fineTuneLr());
            }
            small.fit(train(data, o, seed), o.fineTuneEpochs());
        } else if (o.fineTuneEpochs() > 0) {
            MultiLayerNetwork tuned = copyWithUpdater(dense);
            Map<String, INDArray> masks = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (String layer : layers) {
                INDArray mask = org.nd4j.linalg.factory.Nd4j.ones(DataType.BOOL, tuned.getParam(layer + "_W").shape());
                zeroIncoming(mask, units.get(layer));
                masks.put(layer + "_W", mask);
                names.add(tuned.getLayerWiseConfigurations().getConf(Integer.parseInt(layer)).getLayer().getLayerName());
            }
            // masks never change: the window's only step (1) is long past (the dense run's iteration count continues)
            PruningConfig cfg = PruningConfig.oneShot(fraction, 1).toBuilder().optLayers(names.toArray(String[]::new)).build();
            PruningListener.resume(PruningState.restore(cfg, masks, List.of()), PrunableParams.defaults()).attachTo(tuned);
            if (!Double.isNaN(o.fineTuneLr())) {
                tuned.setLearningRate(o.fineTuneLr()); // keeps the Adam state
            }
            tuned.fit(train(data, o, seed), o.fineTuneEpochs());
            tuned.setListeners(new java.util.ArrayList<org.deeplearning4j.optimize.api.TrainingListener>());
            small = SurgeryPlan.of(tuned, units).apply().network();
        }
        double after = accuracy(small, data);
        Run r = new Run(model, fraction, seed, denseAcc, before, after, dense.numParams(), small.numParams(),
                shrunk.report().unitsByLayer(), diff, latency, load);
        log.accept(String.format(Locale.ROOT,
                "%s seed=%d dense=%.4f shrunk=%.4f fine-tuned=%.4f params %d -> %d units %s max|diff|=%.2e"
                        + " b1 %.3f/%.3f ms (%.2fx) b256 %.2f/%.2f ms (%.2fx) load %.1f/%.1f",
                r.name(), seed, denseAcc, before, after, r.paramsBefore(), r.paramsAfter(), r.units(), diff,
                latency.denseB1Ms(), latency.shrunkB1Ms(), latency.speedupB1(), latency.denseB256Ms(), latency.shrunkB256Ms(),
                latency.speedupB256(), load[0], load[1]));
        return r;
    }

    /**
     * Per layer, the {@code round(fraction · nOut)} units with the lowest L1 norm of incoming
     * weights (column {@code j} of a dense {@code W [nIn, nOut]}, filter {@code j} of a convolution
     * {@code W [nOut, nIn, kH, kW]}); ties go to the lower index.
     *
     * @param net the network
     * @param layers layer indices (as strings, the param-key prefixes) of dense or conv layers
     * @param fraction fraction of each layer's units, in (0, 1)
     * @return unit indices per layer, ascending, for {@link SurgeryPlan#of(org.deeplearning4j.nn.api.Model, Map)}
     */
    public static Map<String, List<Integer>> lowestL1Units(MultiLayerNetwork net, List<String> layers, double fraction) {
        Checks.isTrue(fraction > 0 && fraction < 1, "fraction must be in (0, 1), found %s", fraction);
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (String layer : layers) {
            INDArray w = net.getParam(layer + "_W");
            Checks.isTrue(w != null, "layer '%s' has no weight param W", layer);
            INDArray norms = w.rank() == 2 ? w.norm1(0) : w.reshape('c', w.size(0), -1).norm1(1);
            double[] l1 = norms.castTo(DataType.DOUBLE).data().asDouble();
            boolean[] kept = LowestGroups.keep(l1, null, Math.round(fraction * l1.length), "layer " + layer);
            List<Integer> chosen = IntStream.range(0, l1.length).filter(j -> !kept[j]).boxed().toList();
            out.put(layer, chosen);
        }
        return out;
    }

    /** Hidden layers of {@code type} (exact class) as param-key prefixes, excluding the output layer. */
    public static List<String> layersOf(MultiLayerNetwork net, Class<? extends Layer> type) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < net.getnLayers() - 1; i++) {
            if (net.getLayerWiseConfigurations().getConf(i).getLayer().getClass() == type) {
                out.add(String.valueOf(i));
            }
        }
        return out;
    }

    private static void zeroIncoming(MultiLayerNetwork net, Map<String, List<Integer>> units) {
        units.forEach((layer, js) -> zeroIncoming(net.getParam(layer + "_W"), js));
    }

    /** Sets the incoming weights of units {@code js} of {@code w} (dense columns, conv filters) to 0 / false. */
    private static void zeroIncoming(INDArray w, List<Integer> js) {
        for (int j : js) {
            if (w.rank() == 2) {
                w.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(0);
            } else {
                w.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
            }
        }
    }

    /** A copy with params, updater state and iteration count (a model-zip round trip in memory). */
    private static MultiLayerNetwork copyWithUpdater(MultiLayerNetwork net) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ModelSerializer.writeModel(net, bytes, true);
            return ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(bytes.toByteArray()), true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Median inference latency of {@code dense} and {@code shrunk} at batch 1 and 256, interleaved
     * ({@link PairedTiming}): each round times a block of calls (about 100 ms of the dense model)
     * of each model, alternating which goes first.
     */
    public static Latency latency(MultiLayerNetwork dense, MultiLayerNetwork shrunk, TrainingData data, int rounds) {
        INDArray x1 = testFeatures(data, 1);
        INDArray x256 = testFeatures(data, 256);
        for (int i = 0; i < 5; i++) { // warm-up
            PairedTiming.warmUp(dense, shrunk, x256, 1);
            PairedTiming.warmUp(dense, shrunk, x1, 20);
        }
        PairedTiming.Rounds b1 = PairedTiming.time(dense, shrunk, x1, PairedTiming.callsPerBlock(dense, x1, 100), rounds);
        PairedTiming.Rounds b256 = PairedTiming.time(dense, shrunk, x256, PairedTiming.callsPerBlock(dense, x256, 100), rounds);
        return new Latency(b1.medianFirstMs(), b1.medianSecondMs(), b1.medianRatio(),
                b256.medianFirstMs(), b256.medianSecondMs(), b256.medianRatio());
    }

    private static INDArray testFeatures(TrainingData data, int n) {
        DataSetIterator it = data.testIterator(n);
        DataSet ds = it.next();
        return ds.getFeatures();
    }

    private static DataSetIterator train(TrainingData data, Options o, long seed) {
        DataSetIterator it = data.trainIterator(128, seed);
        return o.maxBatches() > 0 ? new EarlyTerminationDataSetIterator(it, o.maxBatches()) : it;
    }

    private static double accuracy(MultiLayerNetwork net, TrainingData data) {
        return net.evaluate(data.testIterator(1000)).accuracy();
    }

    private static MultiLayerNetwork load(Path file) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the CNN model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The 1-minute load average from /proc/loadavg, or NaN where there is none. */
    static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Mean ± std per (model, fraction) over seeds, as a Markdown table. */
    public static String table(Result r) {
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run run : r.runs()) {
            groups.computeIfAbsent(run.name(), k -> new ArrayList<>()).add(run);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| run | seeds | units | params | dense acc | shrunk acc | fine-tuned acc | speedup b1 | speedup b256 | max abs diff |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (List<Run> g : groups.values()) {
            Run first = g.get(0);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %d → %d | %s | %s | %s | %s | %s | %.1e |%n",
                    first.name(), g.size(), String.join(", ", first.units().values()), first.paramsBefore(), first.paramsAfter(),
                    pct(g.stream().mapToDouble(Run::denseAccuracy).toArray()),
                    pct(g.stream().mapToDouble(Run::accuracyBeforeFineTune).toArray()),
                    pct(g.stream().mapToDouble(Run::accuracyAfterFineTune).toArray()),
                    ratio(g.stream().mapToDouble(x -> x.latency().speedupB1()).toArray()),
                    ratio(g.stream().mapToDouble(x -> x.latency().speedupB256()).toArray()),
                    g.stream().mapToDouble(Run::maxAbsDiff).max().orElse(Double.NaN)));
        }
        return sb.toString();
    }

    private static String pct(double[] x) {
        return String.format(Locale.ROOT, "%.2f ± %.2f %%", 100 * Stats.mean(x), 100 * Stats.std(x));
    }

    private static String ratio(double[] x) {
        return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", Stats.median(x),
                java.util.Arrays.stream(x).min().orElse(Double.NaN), java.util.Arrays.stream(x).max().orElse(Double.NaN));
    }
}
