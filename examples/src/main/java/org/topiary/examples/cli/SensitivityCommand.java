package org.topiary.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.examples.report.SensitivityChart;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.OperatingPointSensitivity;
import org.topiary.examples.train.TrainOptions;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.auto.Allocation;
import org.topiary.sparsity.auto.SensitivityCurve;
import org.topiary.sparsity.auto.SparsityAllocator;
import org.topiary.sparsity.dl4j.auto.SensitivityAnalysis;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.json.SparsityJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary sensitivity}: per-tensor sensitivity of a trained model, and optionally the
 * per-tensor sparsities that meet a global target with the smallest predicted accuracy drop.
 *
 * <p>The model is {@code --model FILE} or, by default, a dense LeNet-300-100 trained here for
 * {@code --epochs} (protocol: 10) on the training images minus a class-stratified validation
 * part ({@code --validation-fraction}). Accuracy is always measured on that validation part,
 * never on the test set. Each weight tensor is one-shot magnitude-pruned alone to every grid
 * sparsity ({@link SensitivityAnalysis}), printed as a table and drawn in {@value
 * SensitivityChart#FILE}. With {@code --target S} the allocation ({@link
 * SparsityAllocator#minimizeLoss()}) is written as {@code pruning-config.json}: a gradual
 * schedule with one override per tensor, which {@code topiary prune --config FILE} accepts.
 *
 * <p><b>At an operating point</b> ({@code --operating-sparsity S0}): instead of a dense model, a
 * LeNet-300-100 is trained here on the training part with the same GMP schedule shape ({@code
 * --begin-epoch}, {@code --end-epoch}, {@code --frequency}) and <em>global</em> magnitude to {@code
 * S0} (saved as {@value #OPERATING_POINT_FILE}); each tensor's survivors are pruned further alone
 * to the fractions of {@code --grid} (default 0.1…0.9), each point after {@code --recovery-steps}
 * masked Adam steps on the same fixed minibatches, and {@code --target} is allocated with {@link
 * SparsityAllocator#allocateBeyond}: no tensor keeps more than its survivors ({@link
 * OperatingPointSensitivity}, the code of {@code bench alloc}'s {@code alloc-op} arm; at 98 % in
 * FMNIST-ALLOC it was level with or slightly above global magnitude, +0.11 ± 0.31 pt on seeds
 * 1–3, where dense curves were below it). {@code --model} is refused
 * in this mode: the operating point must be a global-GMP model that never saw the validation part,
 * which only the model trained here guarantees.
 */
@Command(
        name = "sensitivity",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "Per-layer sensitivity: prune each weight tensor alone to each sparsity of a grid"
                    + " (one-shot magnitude) and measure validation accuracy (a split of the"
                    + " training data, never the test set). Writes a table, sensitivity.png and,"
                    + " with --target, the per-layer sparsities that meet the target with the"
                    + " smallest predicted drop as a config for 'topiary prune --config'.",
            "With --operating-sparsity S0 the curves are measured at a pruned operating point"
                    + " instead (for high targets, where dense curves misjudge the small layers):"
                    + " a model trained here with global GMP to S0, each tensor's survivors pruned"
                    + " further by the --grid fractions,"
                    + " each point after --recovery-steps masked training steps; --target (> S0)"
                    + " then only prunes further from S0's survivors.",
            ""
        })
public final class SensitivityCommand implements Callable<Integer> {

    /** Name of the pruning configuration written with {@code --target}. */
    public static final String CONFIG_FILE = "pruning-config.json";

    /** Name of the dense model trained when no {@code --model} is given. */
    public static final String DENSE_FILE = "dense.zip";

    /** Name of the operating-point model trained with {@code --operating-sparsity}. */
    public static final String OPERATING_POINT_FILE = "operating-point.zip";

    /** Default grid of the dense mode: sparsities of the whole tensor. */
    static final List<Double> DENSE_GRID = SensitivityAnalysis.DEFAULT_GRID;

    /** Default grid of the operating-point mode: fractions of each tensor's survivors. */
    static final List<Double> SURVIVOR_GRID = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

    /** Default {@code --recovery-steps} (the {@code alloc-op} protocol). */
    static final int DEFAULT_RECOVERY_STEPS = 100;

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A trained model zip (DL4J or Topiary). Default: train a dense LeNet-300-100 for --epochs first.")
    private Path modelFile;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of each class of the training images held out for validation, in (0, 1). Default: ${DEFAULT-VALUE}.")
    private double validationFraction;

    @Option(names = "--grid", split = ",", paramLabel = "S,S",
            description = "Sparsities to prune each tensor to, increasing, in [0, 1). Default: 0.1,0.2,...,0.9,0.95,0.98."
                    + " With --operating-sparsity: FRACTIONS of each tensor's survivors to prune further, increasing,"
                    + " in (0, 1). Default then: 0.1,0.2,...,0.9.")
    private List<Double> grid;

    @Option(names = "--target", paramLabel = "S",
            description = "Overall sparsity to allocate over the tensors (needs grid points at or above it; with"
                    + " --operating-sparsity it must be above S0); writes " + CONFIG_FILE + ".")
    private Double target;

    @Option(names = "--operating-sparsity", paramLabel = "S0",
            description = "Measure at a pruned operating point: train LeNet-300-100 with global GMP to S0 in (0, 1)"
                    + " (schedule from --begin-epoch to --end-epoch, masks every --frequency steps) and prune each"
                    + " tensor's survivors further. Not with --model. Default: off (dense curves).")
    private Double operatingSparsity;

    @Option(names = "--recovery-steps", paramLabel = "N",
            description = "With --operating-sparsity: masked Adam steps on the same fixed minibatches before every"
                    + " point and the baseline, >= 1. Default: " + DEFAULT_RECOVERY_STEPS + ".")
    private Integer recoverySteps;

    @Option(names = "--begin-epoch", paramLabel = "E", defaultValue = "1",
            description = "For the written config (and the operating point's training): pruning starts at the end of this"
                    + " epoch. Default: ${DEFAULT-VALUE}.")
    private int beginEpoch;

    @Option(names = "--end-epoch", paramLabel = "E", defaultValue = "7",
            description = "For the written config (and the operating point's training, then <= --epochs): final"
                    + " sparsities reached at the end of this epoch. Default: ${DEFAULT-VALUE}.")
    private int endEpoch;

    @Option(names = "--frequency", paramLabel = "STEPS", defaultValue = "100",
            description = "For the written config (and the operating point's training): steps between mask updates."
                    + " Default: ${DEFAULT-VALUE}.")
    private long frequency;

    /** Creates the command; picocli fills its fields. */
    public SensitivityCommand() {}

    @Override
    public Integer call() throws IOException {
        boolean operating = operatingSparsity != null;
        double[] gridArray = (grid != null ? grid : operating ? SURVIVOR_GRID : DENSE_GRID).stream()
                .mapToDouble(Double::doubleValue).toArray();
        int recovery = recoverySteps != null ? recoverySteps : DEFAULT_RECOVERY_STEPS;
        OperatingPointSensitivity.Settings settings = CliErrors.usage(spec, () -> {
            if (operating) {
                OperatingPointSensitivity.validateFractions("--grid", gridArray);
            } else {
                SensitivityCurve.validateGrid("--grid", gridArray);
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("--validation-fraction must be in (0, 1), found " + validationFraction);
            }
            if (target != null && !(target >= 0 && target < 1)) {
                throw new IllegalArgumentException("--target must be in [0, 1), found " + target);
            }
            if (beginEpoch < 0 || endEpoch <= beginEpoch) {
                throw new IllegalArgumentException(
                        "--end-epoch (" + endEpoch + ") must be > --begin-epoch (" + beginEpoch + ") >= 0");
            }
            if (modelFile != null && !java.nio.file.Files.isRegularFile(modelFile)) {
                throw new IllegalArgumentException("--model: file not found: " + modelFile);
            }
            if (frequency < 1) {
                throw new IllegalArgumentException("--frequency must be >= 1, found " + frequency);
            }
            if (!operating && recoverySteps != null) {
                throw new IllegalArgumentException("--recovery-steps needs --operating-sparsity (the dense curves are one-shot)");
            }
            return operating ? operatingSettings(gridArray, recovery) : null;
        });
        PrintWriter out = spec.commandLine().getOut();
        CommandSession session = CommandSession.start(spec, common);
        FashionMnist data = FashionMnistData.loadFashionMnist(common.data());
        TrainValidationSplit split = data.split(validationFraction, common.seed());
        out.printf(Locale.ROOT, "Data: %s; validation: %d of the %d training images (test set not used)%n",
                data.source(), split.validation().size(), data.trainSize());
        out.flush();

        Model model;
        String modelDescription;
        if (operating) {
            MultiLayerNetwork net = OperatingPointSensitivity.train(split, settings, common.seed(), (e, n, pruning) -> {
                out.printf(Locale.ROOT, "operating point epoch %d/%d: sparsity %.4f, validation accuracy %.4f%n", e,
                        common.epochs(), pruning.report().sparsity(), n.evaluate(split.validationIterator(1000)).accuracy());
                out.flush();
            });
            Path saved = session.outDir().resolve(OPERATING_POINT_FILE);
            ModelSerializer.writeModel(net, saved.toFile(), false);
            model = net;
            modelDescription = "lenet300100 trained " + common.epochs() + " epochs on the training part with global GMP to "
                    + operatingSparsity + " (seed " + common.seed() + "), " + saved;
        } else if (modelFile != null) {
            try {
                model = PrunedModels.restore(modelFile).model();
            } catch (NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--model: file not found: " + modelFile);
            }
            modelDescription = modelFile.toString();
        } else {
            model = trainDense(split, out);
            Path dense = session.outDir().resolve(DENSE_FILE);
            ModelSerializer.writeModel(model, dense.toFile(), false);
            modelDescription = "lenet300100 trained " + common.epochs() + " epochs on the training part (seed " + common.seed() + "), " + dense;
        }
        out.println("Model: " + modelDescription);
        out.flush();

        SensitivityAnalysis.Progress progress = (done, total, c) -> {
            out.printf(Locale.ROOT, "sensitivity [%d/%d] %s (%d %s): %s%n", done, total, c.tensorId(), c.size(),
                    operating ? "survivors" : "weights", row(c));
            out.flush();
        };
        List<SensitivityCurve> curves;
        OperatingPointSensitivity.Result point = null;
        if (operating) {
            point = OperatingPointSensitivity.measure((MultiLayerNetwork) model, split, settings, common.seed(), progress);
            curves = point.curves();
            out.printf(Locale.ROOT, "Operating point: sparsity %.6f (asked %s), survivors %s, validation accuracy %.4f%n",
                    point.achievedSparsity(), operatingSparsity, point.survivors(), point.validationAccuracy());
        } else {
            curves = SensitivityAnalysis.builder()
                    .setEvaluator(SensitivityAnalysis.accuracy(split.validationIterator(1000)))
                    .optGrid(gridArray)
                    .optProgress(progress)
                    .build()
                    .run(model);
        }
        String table = point == null ? table(curves) : operatingTable(point);
        out.println();
        out.print(table);
        AtomicFiles.writeString(session.outDir().resolve("sensitivity.txt"), table);
        Path chart = session.outDir().resolve((point == null
                ? SensitivityChart.write(session.outDir(), curves, "validation accuracy")
                : SensitivityChart.write(session.outDir(), curves, "validation accuracy",
                        "Sensitivity at the operating point (S0 " + operatingSparsity + "): survivors pruned further, "
                                + recovery + " recovery steps",
                        "fraction of the tensor's survivors pruned (%)")).fileName());
        out.println("Chart:  " + chart);

        Allocation allocation = null;
        Path configOut = null;
        if (target != null) {
            try {
                allocation = point == null
                        ? SparsityAllocator.minimizeLoss().allocate(curves, target)
                        : point.allocate(target);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--target " + target + ": " + e.getMessage());
            }
            long stepsPerEpoch = Steps.perEpoch(data.trainSize(), TrainOptions.of(common.epochs(), common.seed()).batchSize());
            PruningConfig base = PruningConfig.gradual(target, Steps.atEndOfEpoch(beginEpoch, stepsPerEpoch),
                    Steps.atEndOfEpoch(endEpoch, stepsPerEpoch), frequency);
            PruningConfig config = allocation.applyTo(base);
            configOut = session.outDir().resolve(CONFIG_FILE);
            AtomicFiles.writeString(configOut, SparsityJson.toJson(config));
            out.println();
            out.print(allocation.toTable());
            out.println("Config: " + configOut + "  (topiary prune --config " + configOut + ")");
        }
        if (common.jsonFile() != null) {
            AtomicFiles.writeString(common.jsonFile(),
                    json(data, split, modelDescription, curves, point, allocation, configOut, session));
            out.println("JSON:   " + common.jsonFile());
        }
        out.flush();
        return TopiaryCli.EXIT_OK;
    }

    /** Validates the operating-point options; messages name the CLI options. */
    private OperatingPointSensitivity.Settings operatingSettings(double[] gridArray, int recovery) {
        if (!(operatingSparsity > 0 && operatingSparsity < 1)) {
            throw new IllegalArgumentException("--operating-sparsity must be in (0, 1), found " + operatingSparsity);
        }
        if (target != null && !(operatingSparsity < target)) {
            throw new IllegalArgumentException("--operating-sparsity (" + operatingSparsity + ") must be < --target ("
                    + target + "): the operating point is pruned further to the target");
        }
        double reach = OperatingPointSensitivity.reach(operatingSparsity, gridArray);
        if (target != null && target > reach - 1e-4) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--target %s is beyond what the survivor"
                    + " curves reach from --operating-sparsity %s with --grid up to %s (about %.4f = S0 + f·(1 − S0));"
                    + " raise --operating-sparsity or add a larger fraction to --grid", target, operatingSparsity,
                    gridArray[gridArray.length - 1], reach));
        }
        if (recovery < 1) {
            throw new IllegalArgumentException("--recovery-steps must be >= 1, found " + recovery);
        }
        if (modelFile != null) {
            throw new IllegalArgumentException("--model cannot be combined with --operating-sparsity: the operating point"
                    + " is trained here (global GMP to S0 on the training part, so it never saw the validation part);"
                    + " drop --model, or drop --operating-sparsity for dense curves of your model");
        }
        if (endEpoch > common.epochs()) {
            throw new IllegalArgumentException("--end-epoch (" + endEpoch + ") must be <= --epochs (" + common.epochs()
                    + ") with --operating-sparsity, or the operating point never reaches S0");
        }
        return new OperatingPointSensitivity.Settings(operatingSparsity, common.epochs(), TrainOptions.PROTOCOL_BATCH_SIZE,
                beginEpoch, endEpoch, frequency, gridArray, recovery);
    }

    private MultiLayerNetwork trainDense(TrainValidationSplit split, PrintWriter out) {
        TrainOptions options = TrainOptions.of(common.epochs(), common.seed());
        MultiLayerNetwork net = ModelZoo.lenet300100(common.seed());
        var train = split.trainIterator(options.batchSize(), common.seed());
        for (int e = 1; e <= common.epochs(); e++) {
            net.fit(train);
            double acc = net.evaluate(split.validationIterator(1000)).accuracy();
            out.printf(Locale.ROOT, "dense epoch %d/%d: validation accuracy %.4f%n", e, common.epochs(), acc);
            out.flush();
        }
        return net;
    }

    private static String row(SensitivityCurve c) {
        StringBuilder sb = new StringBuilder();
        double[] s = c.sparsities();
        double[] m = c.metrics();
        for (int j = 0; j < s.length; j++) {
            sb.append(String.format(Locale.ROOT, "%s%s→%.4f", j == 0 ? "" : " ", s[j], m[j]));
        }
        return sb.toString();
    }

    /** Validation accuracy (%) per tensor and grid sparsity, baseline in the first column. */
    static String table(List<SensitivityCurve> curves) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %10s %8s", "tensor", "weights", "dense"));
        double[] s = curves.get(0).sparsities();
        for (double v : s) {
            sb.append(String.format(Locale.ROOT, " %7s", String.format(Locale.ROOT, "%.3g", 100 * v)));
        }
        sb.append(System.lineSeparator());
        for (SensitivityCurve c : curves) {
            sb.append(String.format(Locale.ROOT, "%-16s %10d %8.2f", c.tensorId(), c.size(), 100 * c.baseline()));
            for (double m : c.metrics()) {
                sb.append(String.format(Locale.ROOT, " %7.2f", 100 * m));
            }
            sb.append(System.lineSeparator());
        }
        sb.append("(mode dense: validation accuracy %, each tensor pruned alone to the sparsity % in the header)")
                .append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * Validation accuracy (%) per tensor and survivor fraction at the operating point, the
     * recovered operating point's accuracy in the first column.
     */
    static String operatingTable(OperatingPointSensitivity.Result r) {
        List<SensitivityCurve> curves = r.curves();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %10s %10s %8s", "tensor", "weights", "survivors", "op"));
        for (double v : curves.get(0).sparsities()) {
            sb.append(String.format(Locale.ROOT, " %7s", String.format(Locale.ROOT, "%.3g", 100 * v)));
        }
        sb.append(System.lineSeparator());
        for (SensitivityCurve c : curves) {
            sb.append(String.format(Locale.ROOT, "%-16s %10d %10d %8.2f", c.tensorId(), r.sizes().get(c.tensorId()), c.size(),
                    100 * c.baseline()));
            for (double m : c.metrics()) {
                sb.append(String.format(Locale.ROOT, " %7.2f", 100 * m));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "(mode operating-point, S0 %s: validation accuracy %%, each tensor's survivors"
                + " pruned further alone by the %% in the header, every point and 'op' after %d masked recovery steps)%n",
                r.operatingSparsity(), r.recoverySteps()));
        return sb.toString();
    }

    static String json(FashionMnist data, TrainValidationSplit split, String model, List<SensitivityCurve> curves,
            OperatingPointSensitivity.Result point, Allocation allocation, Path configFile, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-sensitivity", "sensitivity");
        root.put("mode", point == null ? "dense" : "operating-point");
        if (point == null) {
            root.putNull("operating_sparsity");
            root.putNull("operating_point");
        } else {
            root.put("operating_sparsity", point.operatingSparsity());
            ObjectNode op = root.putObject("operating_point");
            op.put("achieved_sparsity", point.achievedSparsity());
            op.put("validation_accuracy", point.validationAccuracy());
            op.put("recovery_steps", point.recoverySteps());
            op.put("analysis_seconds", point.analysisSeconds());
            ObjectNode sv = op.putObject("survivors");
            point.survivors().forEach(sv::put);
        }
        root.put("data_source", data.source());
        root.put("validation_examples", split.validation().size());
        root.put("train_examples", split.train().size());
        root.put("backend", session.backend().toString());
        root.put("model", model);
        root.put("metric", "validation_accuracy");
        root.put("baseline", curves.get(0).baseline());
        BenchJson.putDoubles(root, "grid", curves.get(0).sparsities());
        ArrayNode cs = root.putArray("curves");
        for (SensitivityCurve c : curves) {
            ObjectNode n = cs.addObject();
            n.put("id", c.tensorId());
            n.put("size", c.size());
            n.put("tensor_size", point == null ? c.size() : point.sizes().get(c.tensorId()));
            BenchJson.putDoubles(n, "metrics", c.metrics());
            ArrayNode pruned = n.putArray("pruned");
            for (double s : c.sparsities()) {
                pruned.add(org.topiary.sparsity.MaskStrategy.countFor(s, c.size()));
            }
        }
        if (allocation == null) {
            root.putNull("allocation");
        } else {
            ObjectNode a = root.putObject("allocation");
            a.put("target_sparsity", allocation.targetSparsity());
            a.put("achieved_sparsity", allocation.achievedSparsity());
            a.put("total_weights", allocation.totalSize());
            a.put("total_pruned", allocation.totalPruned());
            a.put("predicted_drop", allocation.predictedDrop());
            a.put("config_file", configFile.toString());
            ArrayNode ts = a.putArray("tensors");
            for (String id : allocation.sizes().keySet()) {
                ObjectNode t = ts.addObject()
                        .put("id", id)
                        .put("size", allocation.sizes().get(id))
                        .put("pruned", allocation.prunedCounts().get(id))
                        .put("sparsity", allocation.sparsities().get(id));
                if (point != null) {
                    t.put("survivors", point.survivors().get(id));
                }
            }
        }
        return BenchJson.write(mapper, root);
    }
}
