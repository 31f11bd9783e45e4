package org.topiary.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.dl4j.samediff.SameDiffPruning;
import org.topiary.sparsity.internal.Checks;

/**
 * FMNIST-SAMEDIFF: the FMNIST-GMP protocol ({@code shared/docs/DESIGN.md}, layer-wise GMP of
 * LeNet-300-100) run once as a DL4J {@link MultiLayerNetwork} with the {@link PruningListener}
 * and once as the same network written in SameDiff and pruned by {@link SameDiffPruning}; the
 * dense pair (network, SameDiff graph, neither pruned) is optional. Per seed every arm starts
 * from the same initial weights (the SameDiff graphs from a copy of the network's) and sees the
 * same batch order ({@code data.trainIterator(batch, seed)}); the arms' epochs are interleaved
 * (arm 1 epoch 1, arm 2 epoch 1, …, then epoch 2 in reverse order, …) so that the machine's drift
 * hits every arm alike and no arm always runs right after the same other arm. Each arm is compared, paired by seed, with its {@linkplain Arm#reference() reference}:
 * a SameDiff arm with the network trained the same way.
 *
 * <p>What stays different is the arithmetic: DL4J's dense layers and MCXENT loss versus SameDiff's
 * {@code mmul}/{@code add}/{@code relu} and {@code softmaxCrossEntropy} ops, so the two runs
 * drift apart by rounding within the first steps and their final accuracies differ by noise.
 */
public final class SameDiffBench {
    private SameDiffBench() {}

    /** Name of the SameDiff input placeholder ({@code [-1, 784]}). */
    public static final String INPUT = "input";

    /** Name of the SameDiff label placeholder ({@code [-1, 10]}, one-hot). */
    public static final String LABELS = "labels";

    /** Name of the SameDiff softmax output ({@code [-1, 10]}). */
    public static final String OUTPUT = "out";

    /** Name of the SameDiff loss (scalar, mean over the minibatch). */
    public static final String LOSS = "loss";

    /** The SameDiff weight variables, input to output ({@code [nIn, nOut]}, DL4J's layout). */
    public static final List<String> WEIGHTS = List.of("w0", "w1", "w2");

    /** The arms of the benchmark. */
    public enum Arm {
        /** LeNet-300-100 as a MultiLayerNetwork, pruned by the PruningListener (the reference). */
        MLN_GMP("mln-gmp"),
        /** The same network in SameDiff, pruned by SameDiffPruning. */
        SD_GMP("sd-gmp"),
        /** The same network in SameDiff, not pruned. */
        SD_DENSE("sd-dense"),
        /** LeNet-300-100 as a MultiLayerNetwork, not pruned (the reference of sd-dense). */
        MLN_DENSE("mln-dense");

        private final String label;

        Arm(String label) {
            this.label = label;
        }

        /** E.g. {@code sd-gmp}. */
        public String label() {
            return label;
        }

        /** Whether the arm trains the SameDiff graph. */
        public boolean sameDiff() {
            return this == SD_GMP || this == SD_DENSE;
        }

        /** Whether the arm prunes. */
        public boolean pruned() {
            return this == MLN_GMP || this == SD_GMP;
        }

        /**
         * The network arm trained the same way (mln-gmp for sd-gmp, mln-dense for sd-dense; a
         * network arm is its own reference): paired differences and time ratios are against it.
         */
        public Arm reference() {
            return switch (this) {
                case MLN_GMP, SD_GMP -> MLN_GMP;
                case MLN_DENSE, SD_DENSE -> MLN_DENSE;
            };
        }

        /**
         * The arm named {@code label}.
         *
         * @throws IllegalArgumentException naming {@code --arms} when no arm has that name
         */
        public static Arm parse(String label) {
            for (Arm a : values()) {
                if (a.label.equals(label)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("--arms: unknown arm '" + label + "'; choose from "
                    + String.join(", ", Arrays.stream(values()).map(Arm::label).toList()));
        }
    }

    /**
     * Benchmark settings: the FMNIST-GMP window (masks change from the end of epoch {@code
     * beginEpoch} to the end of epoch {@code endEpoch}, every {@code frequency} steps and at the
     * end), layer-wise scope, final {@code sparsity} per weight tensor.
     */
    public record Options(
            List<Long> seeds, int epochs, int batchSize, int beginEpoch, int endEpoch, long frequency, double sparsity,
            List<Arm> arms) {
        public Options {
            seeds = List.copyOf(seeds);
            arms = List.copyOf(arms);
            // a repeated seed would pair one run's SameDiff epochs with another run's network epochs
            Checks.isTrue(new LinkedHashSet<>(seeds).size() == seeds.size(), "--seeds names a seed twice: %s", seeds);
            Checks.isTrue(!arms.isEmpty(), "--arms must not be empty");
            Checks.isTrue(new LinkedHashSet<>(arms).size() == arms.size(), "--arms names an arm twice: %s", arms);
            for (Arm a : arms) {
                Checks.isTrue(arms.contains(a.reference()),
                        "--arms: %s needs %s (its reference for the paired differences and time ratios), found %s",
                        a.label(), a.reference().label(), arms.stream().map(Arm::label).toList());
            }
            GmpBench.Options.layerWise(seeds, epochs, batchSize, beginEpoch, endEpoch, frequency, sparsity); // validates the rest
        }

        /** FMNIST-SAMEDIFF: seeds 1-3, 10 epochs, batch 128, layer-wise 0.90 from epoch 1 to 7 every 100 steps, all four arms. */
        public static Options protocol() {
            return new Options(List.of(1L, 2L, 3L), 10, 128, 1, 7, 100, 0.9, List.of(Arm.MLN_GMP, Arm.SD_GMP, Arm.MLN_DENSE, Arm.SD_DENSE));
        }

        /** The pruning configuration of both pruned arms, from {@link GmpBench.Options#configFor}. */
        public PruningConfig config(long stepsPerEpoch) {
            GmpBench.Options g = GmpBench.Options.layerWise(seeds, epochs, batchSize, beginEpoch, endEpoch, frequency, sparsity);
            return g.configFor(g.variants().get(0), stepsPerEpoch);
        }
    }

    /**
     * One trained arm of one seed. {@code sparsity} covers the three weight tensors ({@code 0_W},
     * {@code 1_W}, {@code 2_W} for the network, {@code w0}, {@code w1}, {@code w2} for SameDiff);
     * {@code initialOutputDiff} is the largest absolute difference between this arm's softmax
     * outputs and the network's on the first 1000 test images before training (0 for the network arms).
     */
    public record Run(
            Arm arm,
            long seed,
            List<Double> accuracyPerEpoch,
            List<Double> epochSeconds,
            double trainCpuSeconds,
            SparsityReport sparsity,
            List<SparsityEvent> history,
            double initialOutputDiff) {

        /** Test accuracy after the last epoch. */
        public double testAccuracy() {
            return accuracyPerEpoch.get(accuracyPerEpoch.size() - 1);
        }

        /** Sum of the epoch times. */
        public double trainSeconds() {
            return epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * One arm over all seeds: mean and sample sd of the final test accuracy, the paired
     * difference to its {@linkplain Arm#reference() reference} of the same seed (this − network),
     * and the median over all seeds' epochs of this arm's epoch time divided by the reference's
     * epoch time of the same seed and epoch.
     */
    public record Summary(
            Arm arm,
            int seeds,
            double meanAccuracy,
            double stdAccuracy,
            double meanDeltaVsReference,
            double stdDeltaVsReference,
            double meanSparsity,
            double medianEpochRatio) {}

    /** All runs (seed by seed, arms in the order of the options) and one summary per arm. */
    public record Result(Options options, String dataSource, long stepsPerEpoch, List<Run> runs, List<Summary> summaries) {}

    /**
     * LeNet-300-100 in SameDiff with the weights and biases of {@code source} (a {@link
     * ModelZoo#lenet300100} network): {@code out = softmax(relu(relu(x·w0 + b0)·w1 + b1)·w2 + b2)}
     * with DL4J's layouts ({@code W} is {@code [nIn, nOut]}, so {@code x·W}); the biases are rank 1
     * ({@code [nOut]}), so SameDiffPruning's default selection takes exactly the three weights.
     * Loss: {@code softmaxCrossEntropy} summed over classes and averaged over the examples of the
     * minibatch ({@link LossReduce#MEAN_BY_NONZERO_WEIGHT_COUNT} without weights), DL4J's MCXENT
     * score. Training: Adam 1e-3, features to {@value #INPUT}, labels to {@value #LABELS}.
     *
     * @param source the network to copy; it is not changed
     * @return a new graph with its own copies of the parameters
     */
    public static SameDiff lenetSameDiff(MultiLayerNetwork source) {
        Checks.notNull("source", source);
        Checks.isTrue(source.getnLayers() == 3, "source must be LeNet-300-100 (3 layers), found %d layers", source.getnLayers());
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, ModelZoo.INPUTS);
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, ModelZoo.CLASSES);
        SDVariable h = x;
        for (int i = 0; i < 3; i++) {
            INDArray w = source.getParam(i + "_W").castTo(DataType.FLOAT).dup('c');
            INDArray b = source.getParam(i + "_b").castTo(DataType.FLOAT).dup('c').reshape(w.size(1));
            SDVariable wv = sd.var(WEIGHTS.get(i), w);
            SDVariable bv = sd.var("b" + i, b);
            SDVariable z = h.mmul(wv).add(bv);
            h = i < 2 ? sd.nn.relu(z, 0.0) : z;
        }
        SDVariable logits = h;
        sd.nn.softmax(OUTPUT, logits, 1);
        sd.loss.softmaxCrossEntropy(LOSS, labels, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables(LOSS);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(ModelZoo.LEARNING_RATE))
                .dataSetFeatureMapping(INPUT)
                .dataSetLabelMapping(LABELS)
                .build());
        return sd;
    }

    /** Runs the benchmark; {@code log} receives one line per epoch and arm. */
    public static Result run(TrainingData data, Options o, Consumer<String> log) {
        long stepsPerEpoch = Steps.perEpoch(data.trainSize(), o.batchSize());
        List<Run> runs = new ArrayList<>();
        for (long seed : o.seeds()) {
            runs.addAll(runSeed(data, o, seed, stepsPerEpoch, log));
        }
        return new Result(o, data.source(), stepsPerEpoch, runs, summarize(o, runs));
    }

    private static final class Trained {
        final Arm arm;
        final MultiLayerNetwork net;
        final SameDiff sd;
        final PruningListener listener;
        final SameDiffPruning pruning;
        final DataSetIterator iter;
        final double initialDiff;
        final List<Double> accuracy = new ArrayList<>();
        final List<Double> epochSeconds = new ArrayList<>();
        long cpuNanos;

        Trained(Arm arm, MultiLayerNetwork net, SameDiff sd, PruningListener listener, SameDiffPruning pruning,
                DataSetIterator iter, double initialDiff) {
            this.arm = arm;
            this.net = net;
            this.sd = sd;
            this.listener = listener;
            this.pruning = pruning;
            this.iter = iter;
            this.initialDiff = initialDiff;
        }

        void fitEpoch() {
            if (net != null) {
                net.fit(iter);
            } else {
                iter.reset(); // ImageBatchIterator: starts the next epoch once one was taken, else no-op
                sd.fit(iter, 1);
            }
        }

        double testAccuracy(TrainingData data) {
            if (net != null) {
                return net.evaluate(data.testIterator(1000)).accuracy();
            }
            Evaluation e = new Evaluation();
            sd.evaluate(data.testIterator(1000), OUTPUT, e);
            return e.accuracy();
        }

        SparsityReport sparsity() {
            if (net != null) {
                return ModelSparsity.report(net);
            }
            if (pruning != null) {
                return pruning.report();
            }
            return SparsityReport.of(WEIGHTS.stream().map(w -> TensorSparsity.measure(w, sd.getArrForVarName(w), 0)).toList());
        }

        List<SparsityEvent> history() {
            if (listener != null) {
                return List.copyOf(listener.history());
            }
            return pruning == null ? List.of() : List.copyOf(pruning.history());
        }
    }

    /** Largest |a − b| over all entries. */
    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private static List<Run> runSeed(TrainingData data, Options o, long seed, long stepsPerEpoch, Consumer<String> log) {
        PruningConfig config = o.config(stepsPerEpoch);
        DataSet probe = data.testIterator(1000).next();
        List<Trained> arms = new ArrayList<>();
        // every network arm starts from lenet300100(seed); Options require the reference of every
        // SameDiff arm, whose untrained network is the source of the graph's weights
        Map<Arm, MultiLayerNetwork> nets = new LinkedHashMap<>();
        INDArray referenceOut = null;
        for (Arm arm : o.arms()) {
            if (!arm.sameDiff()) {
                MultiLayerNetwork net = ModelZoo.lenet300100(seed);
                if (referenceOut == null) {
                    referenceOut = net.output(probe.getFeatures(), false);
                }
                nets.put(arm, net);
            }
        }
        for (Arm arm : o.arms()) {
            DataSetIterator iter = data.trainIterator(o.batchSize(), seed);
            if (!arm.sameDiff()) {
                MultiLayerNetwork net = nets.get(arm);
                PruningListener p = arm.pruned() ? PruningListener.create(config) : null;
                if (p != null) {
                    net.addListeners(p);
                }
                arms.add(new Trained(arm, net, null, p, null, iter,
                        maxAbsDiff(net.output(probe.getFeatures(), false), referenceOut)));
                continue;
            }
            SameDiff sd = lenetSameDiff(nets.get(arm.reference()));
            double diff = maxAbsDiff(sd.outputSingle(Map.of(INPUT, probe.getFeatures()), OUTPUT), referenceOut);
            SameDiffPruning p = arm.pruned() ? SameDiffPruning.attach(sd, config) : null;
            arms.add(new Trained(arm, null, sd, null, p, iter, diff));
        }
        List<Trained> reversed = new ArrayList<>(arms);
        java.util.Collections.reverse(reversed);
        for (int e = 1; e <= o.epochs(); e++) {
            // odd epochs in --arms order, even epochs reversed: no arm always follows the same one
            // (whose garbage and cache state it would inherit) in every epoch of the ratio
            for (Trained a : e % 2 == 1 ? arms : reversed) {
                long cpu0 = ThreadCpu.nanos();
                long t0 = System.nanoTime();
                a.fitEpoch();
                double secs = (System.nanoTime() - t0) / 1e9;
                a.cpuNanos += ThreadCpu.nanos() - cpu0;
                a.epochSeconds.add(secs);
                double acc = a.testAccuracy(data);
                a.accuracy.add(acc);
                log.accept(String.format(Locale.ROOT, "seed %d epoch %2d/%d %-9s acc %.4f  %.2fs  sparsity %.4f",
                        seed, e, o.epochs(), a.arm.label(), acc, secs, a.sparsity().sparsity()));
            }
        }
        List<Run> out = new ArrayList<>();
        for (Trained a : arms) {
            out.add(new Run(a.arm, seed, List.copyOf(a.accuracy), List.copyOf(a.epochSeconds), a.cpuNanos / 1e9,
                    a.sparsity(), a.history(), a.initialDiff));
        }
        return out;
    }

    static List<Summary> summarize(Options o, List<Run> runs) {
        List<Summary> out = new ArrayList<>();
        for (Arm arm : o.arms()) {
            Map<Long, Run> mln = new LinkedHashMap<>();
            runs.stream().filter(r -> r.arm() == arm.reference()).forEach(r -> mln.put(r.seed(), r));
            List<Run> rs = runs.stream().filter(r -> r.arm() == arm).toList();
            double[] acc = rs.stream().mapToDouble(Run::testAccuracy).toArray();
            double[] delta = rs.stream().mapToDouble(r -> r.testAccuracy() - mln.get(r.seed()).testAccuracy()).toArray();
            double[] sparsity = rs.stream().mapToDouble(r -> r.sparsity().sparsity()).toArray();
            double[] ratios = rs.stream().flatMapToDouble(r -> {
                List<Double> ref = mln.get(r.seed()).epochSeconds();
                double[] x = new double[r.epochSeconds().size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.epochSeconds().get(i) / ref.get(i);
                }
                return Arrays.stream(x);
            }).toArray();
            out.add(new Summary(arm, rs.size(), Stats.mean(acc), Stats.std(acc), Stats.mean(delta), Stats.std(delta),
                    Stats.mean(sparsity), Stats.median(ratios)));
        }
        return out;
    }

    /** A text table of the summaries, then per seed each arm's accuracy, paired Δ and per-weight sparsity. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-9s %5s %18s %20s %9s %20s%n",
                "arm", "seeds", "test acc (mean±sd)", "vs network (paired)", "sparsity", "epoch time / network"));
        for (Summary s : r.summaries()) {
            sb.append(String.format(Locale.ROOT, "%-9s %5d %10.2f ± %5.2f %+12.2f ± %5.2f %9.4f %20.3f%n",
                    s.arm().label(), s.seeds(), 100 * s.meanAccuracy(), 100 * s.stdAccuracy(),
                    100 * s.meanDeltaVsReference(), 100 * s.stdDeltaVsReference(), s.meanSparsity(), s.medianEpochRatio()));
        }
        sb.append(System.lineSeparator()).append("per seed: final test accuracy, paired vs the network arm trained the same way, sparsity per weight"
                + " (exact zeros), initial output difference to the network").append(System.lineSeparator());
        Map<String, Double> ref = new LinkedHashMap<>();
        r.runs().forEach(x -> ref.put(x.arm() + "/" + x.seed(), x.testAccuracy()));
        for (Run run : r.runs()) {
            StringBuilder layers = new StringBuilder();
            for (TensorSparsity t : run.sparsity().tensors()) {
                layers.append(String.format(Locale.ROOT, "  %s=%.4f", t.id(), t.sparsity()));
            }
            sb.append(String.format(Locale.ROOT, "%-9s seed %d  acc %.4f  %+.2f pt %s  init diff %.1e%n",
                    run.arm().label(), run.seed(), run.testAccuracy(), 100 * (run.testAccuracy() - ref.get(run.arm().reference() + "/" + run.seed())),
                    layers, run.initialOutputDiff()));
        }
        return sb.toString();
    }
}
