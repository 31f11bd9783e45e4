package org.topiary.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.data.LabeledImages;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.AdaptiveProximalGroupLasso;
import org.topiary.sparsity.dl4j.AdaptiveProximalL1;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.ReweightedGroupLasso;
import org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule;
import org.topiary.sparsity.dl4j.conf.ProximalGroupLasso;
import org.topiary.sparsity.dl4j.conf.ProximalL1;
import org.topiary.sparsity.dl4j.surgery.ShrinkReport;
import org.topiary.sparsity.dl4j.surgery.ShrunkModel;
import org.topiary.sparsity.dl4j.surgery.SurgeryPlan;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * Sparsity by regularization on Fashion-MNIST LeNet-300-100 (784-300-100-10, ReLU, softmax,
 * Adam 1e-3, batch 128, Xavier, float), every arm trained from the same initialisation and batch
 * order for a given seed, so differences to the dense arm are paired:
 *
 * <ul>
 *   <li>{@code dense}: no regularizer, the reference;
 *   <li>{@code prox-l1}: {@link ProximalL1} with coefficient λ on every weight matrix (never
 *       biases); measured: test accuracy and exact-zero sparsity of the weights;
 *   <li>{@code prox-group}: {@link ProximalGroupLasso} with λ over the output neurons of both
 *       hidden layers; measured: hidden neurons whose incoming weights are exactly zero, the
 *       neurons that can be removed, and the accuracy of the physically shrunk network ({@link
 *       org.topiary.sparsity.dl4j.surgery.SurgeryPlan}), which must equal the regularized network's;
 *   <li>{@code group-ft}: {@link ProximalGroupLasso} with constant λ for {@code ftEpoch} epochs,
 *       then λ = 0 and exactly the weights it zeroed frozen by a {@link PruningListener} (masks
 *       {@code w != 0}), fine-tuning the survivors for the remaining epochs;
 *   <li>{@code aprox-l1}: {@link AdaptiveProximalL1} with λ (in units of the loss gradient) on the
 *       weights of the {@code --l1-layers}: the soft-threshold after every Adam step uses Adam's
 *       own per-element step, {@code tᵢ = λ·lr·sqrt(1−β₂ᵗ)/(sqrt(vᵢ)+ε)};
 *   <li>{@code aprox-ft}: {@code aprox-l1} for {@code ftEpoch} epochs, then λ = 0 and exactly its
 *       zero weights frozen, fine-tuning the survivors (as {@code group-ft});
 *   <li>{@code agroup}: {@link AdaptiveProximalGroupLasso} with λ over the output neurons of both
 *       hidden layers, block soft-threshold in Adam's metric;
 *   <li>{@code agroup-ft}: {@code agroup} for {@code ftEpoch} epochs, then its zeros frozen and the
 *       survivors fine-tuned;
 *   <li>{@code rgroup-ft}: {@link ReweightedGroupLasso} (group lasso with per-neuron weights
 *       {@code (‖w_g‖/mean‖w‖)^(−γ)} from the network after {@code reweightEpoch} dense epochs) from
 *       then until {@code ftEpoch}, then its zeros frozen and the survivors fine-tuned;
 *   <li>{@code raprox-ft}: {@code aprox-ft} (with {@code --threshold-cap}) whose thresholds are
 *       reweighted per weight by {@code (|w|/mean|w|)^(−γ)} ({@link
 *       AdaptiveProximalL1#withReweighting}) from the network after {@code reweightEpoch} dense
 *       epochs, L1 from then until {@code ftEpoch}, then its zeros frozen and fine-tuning;
 *   <li>{@code gmp}: gradual magnitude pruning to 90% with {@code PruningListener} and {@code
 *       PruningConfig.gradual(0.9, 1 epoch, 7 epochs, 100)} (469, 3283, 100 on the full set);
 *   <li>{@code l1-gmp}: the same GMP preceded by {@link ProximalL1} with λ during the first
 *       {@code l1Epochs} epochs only (a {@link PiecewiseLinearSchedule} jump to 0).
 * </ul>
 *
 * <pre>{@code
 * RegularizationBench.Result r = RegularizationBench.run("--seeds", "1,2,3", "--json", "reg.json");
 * System.out.println(r.toMarkdown());
 * }</pre>
 *
 * <p>Arguments (all optional): {@code --seeds 1,2,3}, {@code --epochs 10}, {@code --prox-l1
 * λ,λ…}, {@code --group λ,λ…}, {@code --aprox-l1 λ,λ…}, {@code --agroup λ,λ…}, {@code --l1-gmp
 * λ}, {@code --l1-epochs 1}, {@code --arms
 * dense,prox-l1,prox-group,group-ft,aprox-l1,aprox-ft,agroup,agroup-ft,gmp,l1-gmp,rgroup-ft,raprox-ft}, {@code
 * --l1-layers 0,1,2} (layers that get proximal L1, both kinds), {@code --decay-epoch E} and {@code
 * --decay-factor F} (λ drops to λ·F after epoch E, for the arms without fine-tuning), {@code
 * --ramp-epochs R} (λ rises linearly from 0 over the first R epochs, every proximal arm), {@code
 * --ft-epoch 4} (end of the regularized phase of the {@code -ft} arms), {@code --threshold-cap K}
 * (the {@code aprox-} arms' per-weight threshold, and the {@code agroup} arms' per-weight step,
 * capped at K times the step at the tensor's mean second moment, {@link
 * AdaptiveProximalL1#withThresholdCap}, {@link AdaptiveProximalGroupLasso#withThresholdCap};
 * default none), {@code
 * --validation-fraction F} (train on the training set minus a class-stratified fraction F, split
 * with seed {@link #SPLIT_SEED}, and report accuracy on that part as well as on the test set;
 * default 0: whole training set, test set only), {@code --group-layer-factors 1,1} (λ of the
 * {@code prox-group}/{@code group-ft}/{@code agroup}/{@code agroup-ft}/{@code rgroup-ft} arms multiplied per
 * hidden layer, fc1,fc2), {@code --rgroup λ,λ…}, {@code --reweight-gamma 1} and {@code
 * --reweight-epoch 1} (the {@code rgroup-ft} arm: λ, the exponent γ and the dense epochs before the
 * reference norms are taken; γ and the epochs also for {@code raprox-ft}, whose λ are the {@code
 * --aprox-l1} values), {@code --data DIR},
 * {@code --embedded} (the 10k/2k subset), {@code --max-batches N} (per epoch, for smoke tests),
 * {@code --json FILE}. Timings are informational; this benchmark makes no speed claim.
 */
public final class RegularizationBench {
    /** The arms, in run order. */
    public static final List<String> ARMS =
            List.of("dense", "prox-l1", "prox-group", "group-ft", "aprox-l1", "aprox-ft", "agroup", "agroup-ft", "gmp",
                    "l1-gmp", "rgroup-ft", "raprox-ft");

    static final int BATCH = 128;
    static final int[] SIZES = {784, 300, 100, 10};
    static final String[] LAYER_NAMES = {"fc1", "fc2", "out"};

    private RegularizationBench() {}

    /** What to run. */
    public record Options(
            List<Long> seeds,
            int epochs,
            List<Double> proxL1Lambdas,
            List<Double> groupLambdas,
            double l1GmpLambda,
            int l1Epochs,
            Set<String> arms,
            Set<Integer> l1Layers,
            int decayEpoch,
            double decayFactor,
            int ftEpoch,
            List<Double> aproxL1Lambdas,
            List<Double> agroupLambdas,
            int rampEpochs,
            double thresholdCap,
            List<Double> groupLayerFactors,
            List<Double> rgroupLambdas,
            double reweightGamma,
            int reweightEpoch,
            double validationFraction,
            Path dataDir,
            boolean embedded,
            int maxBatches,
            Path json) {

        /** The protocol's defaults (λ values chosen by the sweep recorded in docs/benchmarks.md). */
        public static Options defaults() {
            return new Options(List.of(1L, 2L, 3L), 10, List.of(0.02, 0.05, 0.1, 0.2), List.of(0.05, 0.1), 0.1, 1,
                    Set.copyOf(ARMS), Set.of(0, 1, 2), 0, 1.0, 4, List.of(1e-4, 3e-4), List.of(1e-4, 3e-4), 0, Double.POSITIVE_INFINITY, List.of(1.0, 1.0), List.of(0.1), 1.0, 1, 0.0, null,
                    false,
                    0, null);
        }

        static Options parse(String... args) {
            Options o = defaults();
            List<Long> seeds = o.seeds;
            int epochs = o.epochs;
            List<Double> l1 = o.proxL1Lambdas;
            List<Double> group = o.groupLambdas;
            double l1Gmp = o.l1GmpLambda;
            int l1Epochs = o.l1Epochs;
            Set<String> arms = o.arms;
            Set<Integer> l1Layers = o.l1Layers;
            int decayEpoch = o.decayEpoch;
            double decayFactor = o.decayFactor;
            int ftEpoch = o.ftEpoch;
            List<Double> aprox = o.aproxL1Lambdas;
            List<Double> agroup = o.agroupLambdas;
            int rampEpochs = o.rampEpochs;
            double thresholdCap = o.thresholdCap;
            List<Double> groupFactors = o.groupLayerFactors;
            List<Double> rgroup = o.rgroupLambdas;
            double reweightGamma = o.reweightGamma;
            int reweightEpoch = o.reweightEpoch;
            double validationFraction = o.validationFraction;
            Path data = null;
            boolean embedded = false;
            int maxBatches = 0;
            Path json = null;
            for (Map.Entry<String, String> option : BenchArgs.pairs(args, Set.of("--embedded"))) {
                String a = option.getKey();
                String v = option.getValue();
                switch (a) {
                    case "--embedded" -> embedded = true;
                    case "--seeds" -> seeds = Arrays.stream(v.split(",")).map(s -> Long.parseLong(s.trim())).toList();
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--prox-l1" -> l1 = doubles(v);
                    case "--group" -> group = doubles(v);
                    case "--l1-gmp" -> l1Gmp = Double.parseDouble(v);
                    case "--l1-epochs" -> l1Epochs = Integer.parseInt(v);
                    case "--arms" -> {
                        arms = Set.copyOf(Arrays.asList(v.split(",")));
                        for (String arm : arms) {
                            if (!ARMS.contains(arm)) {
                                throw new IllegalArgumentException("unknown arm '" + arm + "'; arms: " + ARMS);
                            }
                        }
                    }
                    case "--l1-layers" -> l1Layers = Set.copyOf(Arrays.stream(v.split(","))
                            .map(x -> Integer.parseInt(x.trim())).toList());
                    case "--decay-epoch" -> decayEpoch = Integer.parseInt(v);
                    case "--decay-factor" -> decayFactor = Double.parseDouble(v);
                    case "--ft-epoch" -> ftEpoch = Integer.parseInt(v);
                    case "--aprox-l1" -> aprox = doubles(v);
                    case "--agroup" -> agroup = doubles(v);
                    case "--ramp-epochs" -> rampEpochs = Integer.parseInt(v);
                    case "--threshold-cap" -> thresholdCap = Double.parseDouble(v);
                    case "--group-layer-factors" -> groupFactors = doubles(v);
                    case "--rgroup" -> rgroup = doubles(v);
                    case "--reweight-gamma" -> reweightGamma = Double.parseDouble(v);
                    case "--reweight-epoch" -> reweightEpoch = Integer.parseInt(v);
                    case "--validation-fraction" -> validationFraction = Double.parseDouble(v);
                    case "--data" -> data = Path.of(v);
                    case "--max-batches" -> maxBatches = Integer.parseInt(v);
                    case "--json" -> json = Path.of(v);
                    default -> throw new IllegalArgumentException(
                            "unknown option " + a + "; options: --seeds --epochs --prox-l1 --group --l1-gmp --l1-epochs"
                                    + " --arms --l1-layers --decay-epoch --decay-factor --ft-epoch --aprox-l1 --agroup --ramp-epochs"
                                    + " --threshold-cap --group-layer-factors --rgroup --reweight-gamma --reweight-epoch"
                                    + " --validation-fraction --data --embedded --max-batches"
                                    + " --json");
                }
            }
            return new Options(seeds, epochs, l1, group, l1Gmp, l1Epochs, arms, l1Layers, decayEpoch, decayFactor, ftEpoch,
                    aprox, agroup, rampEpochs, thresholdCap, groupFactors, rgroup, reweightGamma, reweightEpoch, validationFraction, data, embedded, maxBatches, json);
        }

        /** Checks the fields that have a range; messages name the option. */
        public Options {
            Checks.isTrue(thresholdCap > 0 && !Double.isNaN(thresholdCap),
                    "--threshold-cap must be > 0 (Infinity for no cap), found %s", thresholdCap);
            Checks.isTrue(groupLayerFactors != null && groupLayerFactors.size() == 2
                            && groupLayerFactors.stream().allMatch(f -> f >= 0 && Double.isFinite(f)),
                    "--group-layer-factors must be two finite factors >= 0 (fc1,fc2), found %s", groupLayerFactors);
            groupLayerFactors = List.copyOf(groupLayerFactors);
            Checks.isTrue(reweightGamma >= 0 && Double.isFinite(reweightGamma),
                    "--reweight-gamma must be >= 0 and finite, found %s", reweightGamma);
            Checks.isTrue(reweightEpoch >= 0
                            && (reweightEpoch < ftEpoch || !(arms.contains("rgroup-ft") || arms.contains("raprox-ft"))),
                    "--reweight-epoch must be >= 0 and, with the rgroup-ft or raprox-ft arm, before --ft-epoch (%d),"
                            + " found %d",
                    ftEpoch, reweightEpoch);
            Checks.isTrue(validationFraction >= 0 && validationFraction < 1,
                    "--validation-fraction must be in [0, 1) (0: no validation split), found %s", validationFraction);
        }

        private static List<Double> doubles(String v) {
            return v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(s -> Double.parseDouble(s.trim())).toList();
        }
    }

    /** One trained network. */
    public record Run(
            String arm,
            double lambda,
            long seed,
            double accuracy,
            double validationAccuracy,
            double weightSparsity,
            double[] layerSparsity,
            long[] hiddenZeroIncoming,
            long removableNeurons,
            List<Long> shrunkHidden,
            double shrunkAccuracy,
            double seconds) {}

    /** Aggregate of one (arm, λ) over seeds; {@code deltaAccuracy} is paired with the dense arm, in points. */
    public record Summary(
            String arm,
            double lambda,
            int n,
            double[] accuracy,
            double[] deltaAccuracyPoints,
            double[] validationAccuracy,
            double[] deltaValidationPoints,
            double[] weightSparsity,
            double[] removedFraction,
            double medianSparsity,
            double medianRemovedFraction,
            Boolean meetsTarget) {}

    /** Everything measured. */
    /**
     * Everything measured; {@code validationSize} is 0 and {@code splitSeed} meaningless without a
     * validation split ({@code options.validationFraction() == 0}).
     */
    public record Result(Map<String, String> machine, String dataSource, Options options, int stepsPerEpoch,
                         int validationSize, long splitSeed, List<Run> runs, List<Summary> summaries) {

        /** Whether the accuracies include a validation split of the training set. */
        public boolean hasValidation() {
            return validationSize > 0;
        }

        /** A Markdown table of the summaries (mean ± std over seeds, medians). */
        public String toMarkdown() {
            StringBuilder sb = new StringBuilder();
            boolean val = hasValidation();
            sb.append("| arm | λ | seeds |").append(val ? " validation acc % | Δ val vs dense (pt) |" : "")
                    .append(" test accuracy % | Δ vs dense (pt) | exact-zero weights % (median)"
                    + " | hidden neurons removed % (median) | target (test) |\n");
            sb.append(val ? "|---|---|---|---|---|---|---|---|---|---|\n" : "|---|---|---|---|---|---|---|---|\n");
            for (Summary s : summaries) {
                String valCols = !val ? "" : String.format(Locale.ROOT, " %.2f ± %.2f | %s |",
                        100 * s.validationAccuracy()[0], 100 * s.validationAccuracy()[1],
                        s.arm().equals("dense") ? "0" : String.format(Locale.ROOT, "%+.2f ± %.2f",
                                s.deltaValidationPoints()[0], s.deltaValidationPoints()[1]));
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d |%s %.2f ± %.2f | %s | %.2f ± %.2f (%.2f) | %.1f ± %.1f (%.1f) | %s |%n",
                        s.arm(), s.arm().equals("dense") || s.arm().equals("gmp") ? "–" : fmt(s.lambda()), s.n(), valCols,
                        100 * s.accuracy()[0], 100 * s.accuracy()[1],
                        s.arm().equals("dense") ? "0" : String.format(Locale.ROOT, "%+.2f ± %.2f", s.deltaAccuracyPoints()[0],
                                s.deltaAccuracyPoints()[1]),
                        100 * s.weightSparsity()[0], 100 * s.weightSparsity()[1], 100 * s.medianSparsity(),
                        100 * s.removedFraction()[0], 100 * s.removedFraction()[1], 100 * s.medianRemovedFraction(),
                        s.meetsTarget() == null ? "–" : s.meetsTarget() ? "met" : "missed"));
            }
            return sb.toString();
        }

        /** The result as JSON: schema {@code "topiary-bench-reg"}, version 1 (docs/cli-json.md). */
        public String toJson() {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("schema", "topiary-bench-reg");
            root.put("version", 1);
            root.put("command", "bench reg");
            root.put("data_source", dataSource);
            ObjectNode mach = root.putObject("machine");
            machine.forEach(mach::put);
            root.put("model", "LeNet-300-100 (784-300-100-10, ReLU, softmax), Adam 1e-3, batch 128, Xavier, float");
            root.put("epochs", options.epochs());
            root.put("steps_per_epoch", stepsPerEpoch);
            root.put("max_batches_per_epoch", options.maxBatches());
            ArrayNode l1Layers = root.putArray("prox_l1_layers");
            options.l1Layers().stream().sorted().forEach(l1Layers::add);
            root.put("decay_epoch", options.decayEpoch());
            root.put("decay_factor", options.decayFactor());
            root.put("ft_epoch", options.ftEpoch());
            root.put("ramp_epochs", options.rampEpochs());
            num(root, "threshold_cap", options.thresholdCap());
            ArrayNode gf = root.putArray("group_layer_factors");
            options.groupLayerFactors().forEach(gf::add);
            ArrayNode rg = root.putArray("rgroup_lambdas");
            options.rgroupLambdas().forEach(rg::add);
            root.put("reweight_gamma", options.reweightGamma());
            root.put("reweight_epoch", options.reweightEpoch());
            root.put("validation_fraction", options.validationFraction());
            root.put("validation_examples", validationSize);
            if (hasValidation()) {
                root.put("validation_split_seed", splitSeed);
            } else {
                root.putNull("validation_split_seed");
            }
            root.put("l1_gmp_epochs", options.l1Epochs());
            root.put("gmp", "PruningConfig.gradual(0.9, " + stepsPerEpoch + ", " + 7 * stepsPerEpoch + ", "
                    + gmpFrequency(stepsPerEpoch) + ")");
            ArrayNode seeds = root.putArray("seeds");
            options.seeds().forEach(seeds::add);
            ArrayNode runsNode = root.putArray("runs");
            for (Run r : runs) {
                ObjectNode n = runsNode.addObject();
                n.put("arm", r.arm());
                n.put("lambda", r.lambda());
                n.put("seed", r.seed());
                n.put("test_accuracy", r.accuracy());
                num(n, "validation_accuracy", r.validationAccuracy());
                n.put("weight_sparsity", r.weightSparsity());
                ArrayNode ls = n.putArray("layer_sparsity");
                Arrays.stream(r.layerSparsity()).forEach(ls::add);
                ArrayNode hz = n.putArray("hidden_zero_incoming");
                Arrays.stream(r.hiddenZeroIncoming()).forEach(hz::add);
                n.put("removable_neurons", r.removableNeurons());
                ArrayNode sh = n.putArray("shrunk_hidden");
                r.shrunkHidden().forEach(sh::add);
                n.put("shrunk_test_accuracy", r.shrunkAccuracy());
                n.put("seconds", r.seconds());
            }
            ArrayNode sums = root.putArray("summary");
            for (Summary s : summaries) {
                ObjectNode n = sums.addObject();
                n.put("arm", s.arm());
                n.put("lambda", s.lambda());
                n.put("seeds", s.n());
                num(n, "mean_test_accuracy", s.accuracy()[0]);
                num(n, "std_test_accuracy", s.accuracy()[1]);
                num(n, "mean_delta_vs_dense_points", s.deltaAccuracyPoints()[0]);
                num(n, "std_delta_vs_dense_points", s.deltaAccuracyPoints()[1]);
                num(n, "mean_validation_accuracy", s.validationAccuracy()[0]);
                num(n, "std_validation_accuracy", s.validationAccuracy()[1]);
                num(n, "mean_validation_delta_vs_dense_points", s.deltaValidationPoints()[0]);
                num(n, "std_validation_delta_vs_dense_points", s.deltaValidationPoints()[1]);
                num(n, "mean_weight_sparsity", s.weightSparsity()[0]);
                num(n, "std_weight_sparsity", s.weightSparsity()[1]);
                num(n, "median_weight_sparsity", s.medianSparsity());
                num(n, "mean_removed_fraction", s.removedFraction()[0]);
                num(n, "std_removed_fraction", s.removedFraction()[1]);
                num(n, "median_removed_fraction", s.medianRemovedFraction());
                if (s.meetsTarget() == null) {
                    n.putNull("meets_target");
                } else {
                    n.put("meets_target", s.meetsTarget());
                }
            }
            try {
                return m.writeValueAsString(root);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void num(ObjectNode n, String field, double v) {
            if (Double.isFinite(v)) {
                n.put(field, v);
            } else {
                n.putNull(field);
            }
        }
    }

    /** Parses {@code args} (see the class comment), runs, and writes {@code --json FILE} if given. */
    public static Result run(String... args) {
        return run(Options.parse(args), s -> {});
    }

    /** The seed of the class-stratified validation split when run from {@link #main} or {@link #run(String...)}. */
    public static final long SPLIT_SEED = 1;

    /**
     * Loads Fashion-MNIST as the options say and runs (see {@link #run(FashionMnist, long, Options,
     * Consumer)}), with the validation split seeded by {@link #SPLIT_SEED}.
     */
    public static Result run(Options o, Consumer<String> log) {
        FashionMnist fm = o.embedded() ? FashionMnist.embedded() : FashionMnist.load(o.dataDir());
        return run(fm, SPLIT_SEED, o, log);
    }

    /**
     * Runs on {@code fm}: with {@code o.validationFraction() > 0} every arm trains on the training
     * set minus a class-stratified validation part ({@link FashionMnist#split}, seeded by {@code
     * splitSeed}) and is evaluated on that part and on the test set; otherwise on the whole
     * training set, evaluated on the test set.
     */
    public static Result run(FashionMnist fm, long splitSeed, Options o, Consumer<String> log) {
        if (o.validationFraction() > 0) {
            TrainValidationSplit split = fm.split(o.validationFraction(), splitSeed);
            return run(new FashionMnistTraining(fm, split), split.validation(), splitSeed, o, log);
        }
        return run(new FashionMnistTraining(fm, null), null, splitSeed, o, log);
    }

    /**
     * Runs the selected arms for every seed on {@code data} (ignoring the options' data fields and
     * validation fraction: no validation accuracy); {@code log} receives one line per trained
     * network. Writes {@code o.json()} if set.
     */
    public static Result run(TrainingData data, Options o, Consumer<String> log) {
        return run(data, null, 0, o, log);
    }

    /**
     * As {@link #run(TrainingData, Options, Consumer)}, every network also evaluated on {@code
     * validation} when it is not null (held out from {@code data}'s training examples by the
     * caller, split with {@code splitSeed}).
     */
    public static Result run(TrainingData data, LabeledImages validation, long splitSeed, Options o, Consumer<String> log) {
        int fullSteps = (data.trainSize() + BATCH - 1) / BATCH;
        int spe = o.maxBatches() > 0 ? Math.min(o.maxBatches(), fullSteps) : fullSteps;
        log.accept("data: " + data.source() + "; " + spe + " steps per epoch"
                + (validation == null ? "" : "; validation: " + validation.size() + " held-out training examples"));
        Evaluator eval = new Evaluator(data, validation);
        List<Run> runs = new ArrayList<>();
        for (long seed : o.seeds()) {
            if (o.arms().contains("dense")) {
                runs.add(train(eval, o, spe, seed, "dense", 0, i -> List.of(), false, net -> {}, log));
            }
            if (o.arms().contains("prox-l1")) {
                for (double l : o.proxL1Lambdas()) {
                    ISchedule lambda = lambda(o, spe, l);
                    runs.add(train(eval, o, spe, seed, "prox-l1", l,
                            i -> o.l1Layers().contains(i) ? List.of(ProximalL1.of(lambda)) : List.of(), false, net -> {},
                            log));
                }
            }
            if (o.arms().contains("prox-group")) {
                for (double l : o.groupLambdas()) {
                    runs.add(train(eval, o, spe, seed, "prox-group", l, i -> i < 2
                            ? List.of(ProximalGroupLasso.of(groupLambda(o, spe, l, i, false),
                                    ParamGroups.outputNeurons(SIZES[i], SIZES[i + 1])))
                            : List.of(), false, net -> {}, log));
                }
            }
            if (o.arms().contains("group-ft")) {
                for (double l : o.groupLambdas()) {
                    runs.add(trainThenFineTune(eval, o, spe, seed, "group-ft", l, i -> i < 2
                            ? List.of(ProximalGroupLasso.of(groupLambda(o, spe, l, i, true),
                                    ParamGroups.outputNeurons(SIZES[i], SIZES[i + 1])))
                            : List.of(), net -> {}, List.of(0, 1), log));
                }
            }
            if (o.arms().contains("aprox-l1")) {
                for (double l : o.aproxL1Lambdas()) {
                    ISchedule lambda = lambda(o, spe, l);
                    runs.add(train(eval, o, spe, seed, "aprox-l1", l, i -> List.of(), false,
                            net -> adaptiveL1(o, lambda).attachTo(net), log));
                }
            }
            if (o.arms().contains("aprox-ft")) {
                for (double l : o.aproxL1Lambdas()) {
                    ISchedule lam = phaseOne(o, spe, l);
                    runs.add(trainThenFineTune(eval, o, spe, seed, "aprox-ft", l, i -> List.of(),
                            net -> adaptiveL1(o, lam).attachTo(net), o.l1Layers().stream().sorted().toList(), log));
                }
            }
            if (o.arms().contains("agroup")) {
                for (double l : o.agroupLambdas()) {
                    runs.add(train(eval, o, spe, seed, "agroup", l, i -> List.of(), false,
                            net -> adaptiveGroups(o, spe, l, false, net), log));
                }
            }
            if (o.arms().contains("agroup-ft")) {
                for (double l : o.agroupLambdas()) {
                    runs.add(trainThenFineTune(eval, o, spe, seed, "agroup-ft", l, i -> List.of(),
                            net -> adaptiveGroups(o, spe, l, true, net), List.of(0, 1), log));
                }
            }
            if (o.arms().contains("gmp")) {
                runs.add(train(eval, o, spe, seed, "gmp", 0, i -> List.of(), true, net -> {}, log));
            }
            if (o.arms().contains("l1-gmp")) {
                int off = o.l1Epochs() * spe;
                double l = o.l1GmpLambda();
                runs.add(train(eval, o, spe, seed, "l1-gmp", l, i -> List.of(ProximalL1.of(
                        PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, l, 0, 0, off, off))), true, net -> {},
                        log));
            }
            if (o.arms().contains("rgroup-ft")) {
                for (double l : o.rgroupLambdas()) {
                    runs.add(trainThenFineTune(eval, o, spe, seed, "rgroup-ft", l, i -> List.of(),
                            net -> reweightedGroups(o, spe, l, net), List.of(0, 1), log));
                }
            }
            if (o.arms().contains("raprox-ft")) {
                for (double l : o.aproxL1Lambdas()) {
                    ISchedule lam = reweightedLambda(o, spe, l);
                    runs.add(trainThenFineTune(eval, o, spe, seed, "raprox-ft", l, i -> List.of(),
                            net -> adaptiveL1(o, lam).withReweighting(o.reweightGamma()).attachTo(net),
                            o.l1Layers().stream().sorted().toList(), log));
                }
            }
        }
        Result r = new Result(machine(), data.source(), o, spe, validation == null ? 0 : validation.size(), splitSeed, runs,
                summarize(runs));
        if (o.json() != null) {
            try {
                Path parent = o.json().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(o.json(), r.toJson(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + o.json() + ": " + e.getMessage(), e);
            }
        }
        return r;
    }

    /** Runs with the arguments, prints one line per network and then the table. */
    public static void main(String[] args) {
        Result r = run(Options.parse(args), System.out::println);
        System.out.print(r.toMarkdown());
    }

    /**
     * λ; with {@code --ramp-epochs R} rising linearly from 0 over the first R epochs; with {@code
     * --decay-epoch E} dropping to {@code λ·decayFactor} after epoch E (a jump): the regularizer
     * keeps dead weights dead with a weaker pull on the survivors.
     */
    static ISchedule lambda(Options o, int spe, double l) {
        int ramp = o.rampEpochs() * spe;
        if (o.decayEpoch() <= 0) {
            return ramp > 0 ? PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0.0, l, 0, ramp) : new FixedSchedule(l);
        }
        int at = o.decayEpoch() * spe;
        Checks.isTrue(at >= ramp, "decayEpoch (%d) must not be before the end of the ramp (rampEpochs %d)",
                o.decayEpoch(), o.rampEpochs());
        return jump(ramp, at, l, l * o.decayFactor());
    }

    /**
     * The λ of the first phase of the fine-tuned arms: λ (ramped over {@code --ramp-epochs} if
     * set) until the end of epoch {@code ftEpoch}, then 0; {@code --decay-epoch} does not apply.
     */
    static ISchedule phaseOne(Options o, int spe, double l) {
        int cut = Math.min(o.ftEpoch(), o.epochs()) * spe;
        int ramp = Math.min(o.rampEpochs() * spe, cut);
        return jump(ramp, cut, l, 0.0);
    }

    /**
     * λ of the group lasso on hidden layer {@code layer} (0 = fc1, 1 = fc2): {@code l} times that
     * layer's {@code --group-layer-factors} entry, scheduled as {@link #phaseOne} ({@code ft}) or
     * {@link #lambda}.
     */
    static ISchedule groupLambda(Options o, int spe, double l, int layer, boolean ft) {
        double scaled = l * o.groupLayerFactors().get(layer);
        return ft ? phaseOne(o, spe, scaled) : lambda(o, spe, scaled);
    }

    /** 0 → l linearly over [0, ramp] (if ramp > 0), l until {@code at}, then {@code after}. */
    private static ISchedule jump(int ramp, int at, double l, double after) {
        if (ramp <= 0) {
            return PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {at, at}, new double[] {l, after});
        }
        if (ramp >= at) {
            return PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {0, at, at}, new double[] {0.0, l, after});
        }
        return PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {0, ramp, at, at}, new double[] {0.0, l, l, after});
    }

    /** Adam-aware proximal L1 on the weights of the {@code --l1-layers}. */
    private static AdaptiveProximalL1 adaptiveL1(Options o, ISchedule lambda) {
        return AdaptiveProximalL1.of(lambda).withThresholdCap(o.thresholdCap()).onLayers(
                o.l1Layers().stream().sorted().map(String::valueOf).toArray(String[]::new));
    }

    /**
     * Adam-aware group lasso on fc1 and fc2, one listener per layer: λ times that layer's {@code
     * --group-layer-factors} entry, scheduled as {@link #groupLambda}, steps capped by {@code
     * --threshold-cap} ({@link AdaptiveProximalGroupLasso#withThresholdCap}). With factors 1,1 the
     * same operation as one listener on both layers (the prox is per tensor).
     */
    private static void adaptiveGroups(Options o, int spe, double l, boolean ft, MultiLayerNetwork net) {
        for (int i = 0; i < 2; i++) {
            AdaptiveProximalGroupLasso.of(groupLambda(o, spe, l, i, ft)).withThresholdCap(o.thresholdCap())
                    .onLayers(LAYER_NAMES[i]).attachTo(net);
        }
    }

    /**
     * Reweighted group lasso on fc1 and fc2, one listener per layer: λ times that layer's {@code
     * --group-layer-factors} entry from the start of epoch {@code reweightEpoch + 1} to the end of
     * epoch {@code ftEpoch} (0 before and after: the first {@code reweightEpoch} epochs train dense
     * and give the reference norms), exponent {@code --reweight-gamma}.
     */
    private static void reweightedGroups(Options o, int spe, double l, MultiLayerNetwork net) {
        for (int i = 0; i < 2; i++) {
            ReweightedGroupLasso.of(reweightedLambda(o, spe, l * o.groupLayerFactors().get(i)), o.reweightGamma())
                    .onLayers(LAYER_NAMES[i]).attachTo(net);
        }
    }

    /** 0 until epoch {@code reweightEpoch} ends, then {@code l} until epoch {@code ftEpoch} ends, then 0. */
    static ISchedule reweightedLambda(Options o, int spe, double l) {
        int from = o.reweightEpoch() * spe;
        int to = Math.min(o.ftEpoch(), o.epochs()) * spe;
        if (from == 0) {
            return jump(0, to, l, 0.0);
        }
        return PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {from, from, to, to},
                new double[] {0.0, l, l, 0.0});
    }

    /**
     * {@code fm} as the trainer's data: training on the whole training set ({@code split == null})
     * or on {@code split.train()}, testing on {@code fm}'s test set either way.
     */
    private record FashionMnistTraining(FashionMnist fm, TrainValidationSplit split) implements TrainingData {
        @Override
        public String source() {
            return split == null ? fm.source() : fm.source() + " (train " + split.train().size() + " of "
                    + fm.trainSize() + ", validation " + split.validation().size() + ", test " + fm.testSize() + ")";
        }

        @Override
        public boolean isEmbeddedSubset() {
            return fm.isEmbeddedSubset();
        }

        @Override
        public int trainSize() {
            return split == null ? fm.trainSize() : split.train().size();
        }

        @Override
        public int testSize() {
            return fm.testSize();
        }

        @Override
        public DataSetIterator trainIterator(int batchSize, long seed) {
            return split == null ? fm.trainIterator(batchSize, seed) : split.trainIterator(batchSize, seed);
        }

        @Override
        public DataSetIterator testIterator(int batchSize) {
            return fm.testIterator(batchSize);
        }
    }

    /** Test and (optional) validation evaluation of a trained network. */
    private record Evaluator(TrainingData data, LabeledImages validation) {
        double test(MultiLayerNetwork net) {
            return net.evaluate(data.testIterator(1000)).accuracy();
        }

        double validation(MultiLayerNetwork net) {
            return validation == null ? Double.NaN : net.evaluate(validation.iterator(1000)).accuracy();
        }
    }

    static long gmpFrequency(int spe) {
        return Math.min(100, Math.max(1, 6L * spe / 10));
    }

    static MultiLayerNetwork lenet(long seed, IntFunction<List<Regularization>> weightRegs) {
        NeuralNetConfiguration.ListBuilder b =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(1e-3))
                        .weightInit(WeightInit.XAVIER)
                        .list();
        String[] names = LAYER_NAMES;
        for (int i = 0; i < 3; i++) {
            if (i < 2) {
                b.layer(new DenseLayer.Builder().name(names[i]).nIn(SIZES[i]).nOut(SIZES[i + 1])
                        .activation(Activation.RELU).regularization(new ArrayList<>(weightRegs.apply(i))).build());
            } else {
                b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name(names[i]).nIn(SIZES[i])
                        .nOut(SIZES[i + 1]).activation(Activation.SOFTMAX)
                        .regularization(new ArrayList<>(weightRegs.apply(i))).build());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    private static Run train(Evaluator eval, Options o, int spe, long seed, String arm, double lambda,
                             IntFunction<List<Regularization>> regs, boolean gmp, Consumer<MultiLayerNetwork> setup,
                             Consumer<String> log) {
        long t0 = System.nanoTime();
        MultiLayerNetwork net = lenet(seed, regs);
        setup.accept(net);
        if (gmp) {
            PruningListener.attach(net, PruningConfig.gradual(0.9, spe, 7L * spe, gmpFrequency(spe)));
        }
        net.fit(trainIterator(eval.data(), o, seed), o.epochs());
        return measure(net, eval, arm, lambda, seed, t0, log);
    }

    private static DataSetIterator trainIterator(TrainingData data, Options o, long seed) {
        DataSetIterator train = data.trainIterator(BATCH, seed);
        return o.maxBatches() > 0 ? new EarlyTerminationDataSetIterator(train, o.maxBatches()) : train;
    }

    /**
     * A regularizer (given as layer regularizers and/or a listener {@code setup}) whose λ schedule
     * ends at epoch {@code ftEpoch} ({@link #phaseOne}), then exactly the weights of {@code
     * maskLayers} that are zero at that moment frozen by a {@link PruningListener} resumed from a
     * {@link PruningState} whose masks are {@code w != 0} (so neurons that happen to be dead at the
     * cut stay dead), and fine-tuning of the survivors for the remaining epochs. The mask is taken
     * from the weights directly rather than by magnitude pruning at the next step: under Adam,
     * weights near the threshold die and revive from one step to the next, so a count taken one
     * step earlier would select scattered small weights. No magnitude criterion is involved: the
     * zeros are exactly those the regularizer made.
     */
    private static Run trainThenFineTune(Evaluator eval, Options o, int spe, long seed, String arm, double lambda,
                                         IntFunction<List<Regularization>> regs, Consumer<MultiLayerNetwork> setup,
                                         List<Integer> maskLayers, Consumer<String> log) {
        long t0 = System.nanoTime();
        int phase1 = Math.min(o.ftEpoch(), o.epochs());
        MultiLayerNetwork net = lenet(seed, regs);
        setup.accept(net);
        DataSetIterator train = trainIterator(eval.data(), o, seed);
        net.fit(train, phase1);
        if (o.epochs() > phase1) {
            // No mask update ever happens: the window's only step (1) is long past.
            String[] names = maskLayers.stream().map(i -> LAYER_NAMES[i]).toArray(String[]::new);
            PruningConfig cfg = PruningConfig.oneShot(0.5, 1).toBuilder().optLayers(names).build();
            Map<String, INDArray> masks = new LinkedHashMap<>();
            for (int i : maskLayers) {
                masks.put(i + "_W", net.getParam(i + "_W").neq(0.0).castTo(DataType.BOOL));
            }
            PruningListener.resume(PruningState.restore(cfg, masks, List.of()), PrunableParams.defaults()).attachTo(net);
            net.fit(train, o.epochs() - phase1);
        }
        return measure(net, eval, arm, lambda, seed, t0, log);
    }

    private static Run measure(MultiLayerNetwork net, Evaluator eval, String arm, double lambda, long seed, long t0,
                               Consumer<String> log) {
        double acc = eval.test(net);
        double valAcc = eval.validation(net);
        long total = 0;
        long zeros = 0;
        double[] layer = new double[3];
        for (int i = 0; i < 3; i++) {
            INDArray w = net.getParam(i + "_W");
            long nz = Nd4j.getExecutioner().exec(new CountNonZero(w)).getLong(0);
            layer[i] = (double) (w.length() - nz) / w.length();
            total += w.length();
            zeros += w.length() - nz;
        }
        long[] zeroIn = {zeroColumns(net.getParam("0_W")), zeroColumns(net.getParam("1_W"))};
        ShrunkModel shrunkModel = SurgeryPlan.of(net).apply();
        ShrinkReport report = shrunkModel.report();
        long removedHidden = report.layers().get(0).removed().size() + report.layers().get(1).removed().size();
        List<Long> hiddenAfter = List.of(report.layers().get(0).after(), report.layers().get(1).after());
        double shrunkAcc = removedHidden > 0 ? eval.test(shrunkModel.network()) : acc;
        double secs = (System.nanoTime() - t0) / 1e9;
        Run r = new Run(arm, lambda, seed, acc, valAcc, (double) zeros / total, layer, zeroIn, removedHidden, hiddenAfter,
                shrunkAcc, secs);
        log.accept(String.format(Locale.ROOT,
                "%-10s λ=%-6s seed=%d acc=%.4f val=%.4f zeros=%.4f (fc1 %.3f fc2 %.3f out %.3f) dead-in=%s removable=%d -> %s"
                        + " shrunk-acc=%.4f %.0fs",
                arm, fmt(lambda), seed, acc, valAcc, r.weightSparsity(), layer[0], layer[1], layer[2], Arrays.toString(zeroIn),
                removedHidden, hiddenAfter, shrunkAcc, secs));
        return r;
    }

    /** Number of exactly-zero columns of {@code w} (neurons with no incoming weight). */
    static long zeroColumns(INDArray w) {
        double[] maxima = w.amax(0).castTo(DataType.DOUBLE).data().asDouble();
        return Arrays.stream(maxima).filter(m -> m == 0.0).count();
    }

    static List<Summary> summarize(List<Run> runs) {
        Map<Long, Double> denseAcc = new LinkedHashMap<>();
        Map<Long, Double> denseVal = new LinkedHashMap<>();
        for (Run r : runs) {
            if (r.arm().equals("dense")) {
                denseAcc.put(r.seed(), r.accuracy());
                denseVal.put(r.seed(), r.validationAccuracy());
            }
        }
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (String arm : ARMS) {
            for (Run r : runs) {
                if (r.arm().equals(arm)) {
                    groups.computeIfAbsent(arm + "@" + r.lambda(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<Summary> out = new ArrayList<>();
        for (List<Run> g : groups.values()) {
            Run first = g.get(0);
            double[] acc = g.stream().mapToDouble(Run::accuracy).toArray();
            double[] delta = g.stream().filter(r -> denseAcc.containsKey(r.seed()))
                    .mapToDouble(r -> 100 * (r.accuracy() - denseAcc.get(r.seed()))).toArray();
            double[] val = g.stream().mapToDouble(Run::validationAccuracy).filter(Double::isFinite).toArray();
            double[] deltaVal = g.stream().filter(r -> Double.isFinite(r.validationAccuracy())
                            && Double.isFinite(denseVal.getOrDefault(r.seed(), Double.NaN)))
                    .mapToDouble(r -> 100 * (r.validationAccuracy() - denseVal.get(r.seed()))).toArray();
            double[] sp = g.stream().mapToDouble(Run::weightSparsity).toArray();
            double hidden = SIZES[1] + SIZES[2];
            double[] removed = g.stream().mapToDouble(r -> r.removableNeurons() / hidden).toArray();
            double[] d = meanStd(delta);
            double[] s = meanStd(sp);
            double[] rm = meanStd(removed);
            Boolean target = null;
            if (delta.length > 0 && (first.arm().equals("prox-l1") || first.arm().equals("aprox-l1")
                    || first.arm().equals("aprox-ft") || first.arm().equals("raprox-ft"))) {
                target = s[0] >= 0.80 && d[0] >= -1.0;
            } else if (delta.length > 0 && (first.arm().equals("prox-group") || first.arm().equals("group-ft")
                    || first.arm().equals("agroup") || first.arm().equals("agroup-ft")
                    || first.arm().equals("rgroup-ft"))) {
                target = rm[0] >= 0.50 && d[0] >= -0.5;
            }
            out.add(new Summary(first.arm(), first.lambda(), g.size(), meanStd(acc), d, meanStd(val), meanStd(deltaVal), s, rm, median(sp), median(removed),
                    target));
        }
        return out;
    }

    /** {mean, sample standard deviation (0 for one value)}; {NaN, NaN} for none. */
    static double[] meanStd(double[] v) {
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0};
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("logical_cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu_model", cpuModel());
        m.put("java_version", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName() + " 1.0.0-M2.1");
        String omp = System.getenv("OMP_NUM_THREADS");
        m.put("omp_num_threads", omp == null ? "unset" : omp);
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
