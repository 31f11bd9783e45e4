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
            ""
        })
public final class SensitivityCommand implements Callable<Integer> {

    /** Name of the pruning configuration written with {@code --target}. */
    public static final String CONFIG_FILE = "pruning-config.json";

    /** Name of the dense model trained when no {@code --model} is given. */
    public static final String DENSE_FILE = "dense.zip";

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A trained model zip (DL4J or Topiary). Default: train a dense LeNet-300-100 for --epochs first.")
    private Path modelFile;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of each class of the training images held out for validation, in (0, 1). Default: ${DEFAULT-VALUE}.")
    private double validationFraction;

    @Option(names = "--grid", split = ",", paramLabel = "S,S",
            defaultValue = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95,0.98",
            description = "Sparsities to prune each tensor to, increasing, in [0, 1). Default: ${DEFAULT-VALUE}.")
    private List<Double> grid;

    @Option(names = "--target", paramLabel = "S",
            description = "Overall sparsity to allocate over the tensors (needs grid points at or above it); writes " + CONFIG_FILE + ".")
    private Double target;

    @Option(names = "--begin-epoch", paramLabel = "E", defaultValue = "1",
            description = "For the written config: pruning starts at the end of this epoch. Default: ${DEFAULT-VALUE}.")
    private int beginEpoch;

    @Option(names = "--end-epoch", paramLabel = "E", defaultValue = "7",
            description = "For the written config: final sparsities reached at the end of this epoch. Default: ${DEFAULT-VALUE}.")
    private int endEpoch;

    @Option(names = "--frequency", paramLabel = "STEPS", defaultValue = "100",
            description = "For the written config: steps between mask updates. Default: ${DEFAULT-VALUE}.")
    private long frequency;

    /** Creates the command; picocli fills its fields. */
    public SensitivityCommand() {}

    @Override
    public Integer call() throws IOException {
        double[] gridArray = grid.stream().mapToDouble(Double::doubleValue).toArray();
        try {
            SensitivityCurve.validateGrid("--grid", gridArray);
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
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        CommandSession session = CommandSession.start(spec, common);
        FashionMnist data = load(common.data());
        TrainValidationSplit split = data.split(validationFraction, common.seed());
        out.printf(Locale.ROOT, "Data: %s; validation: %d of the %d training images (test set not used)%n",
                data.source(), split.validation().size(), data.trainSize());
        out.flush();

        Model model;
        String modelDescription;
        if (modelFile != null) {
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

        SensitivityAnalysis analysis = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(split.validationIterator(1000)))
                .optGrid(gridArray)
                .optProgress((done, total, c) -> {
                    out.printf(Locale.ROOT, "sensitivity [%d/%d] %s (%d weights): %s%n", done, total, c.tensorId(), c.size(), row(c));
                    out.flush();
                })
                .build();
        List<SensitivityCurve> curves = analysis.run(model);
        String table = table(curves);
        out.println();
        out.print(table);
        AtomicFiles.writeString(session.outDir().resolve("sensitivity.txt"), table);
        Path chart = session.outDir().resolve(SensitivityChart.write(session.outDir(), curves, "validation accuracy").fileName());
        out.println("Chart:  " + chart);

        Allocation allocation = null;
        Path configOut = null;
        if (target != null) {
            try {
                allocation = SparsityAllocator.minimizeLoss().allocate(curves, target);
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
            AtomicFiles.writeString(common.jsonFile(), json(data, split, modelDescription, curves, allocation, configOut, session));
            out.println("JSON:   " + common.jsonFile());
        }
        out.flush();
        return TopiaryCli.EXIT_OK;
    }

    private static FashionMnist load(DataChoice choice) {
        return switch (choice.kind()) {
            case SEARCH -> FashionMnist.load(null);
            case EMBEDDED -> FashionMnist.embedded();
            case DIRECTORY -> FashionMnist.load(choice.directory().orElseThrow());
        };
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
        sb.append("(validation accuracy %, each tensor pruned alone to the sparsity % in the header)").append(System.lineSeparator());
        return sb.toString();
    }

    static String json(FashionMnist data, TrainValidationSplit split, String model, List<SensitivityCurve> curves,
            Allocation allocation, Path configFile, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-sensitivity", "sensitivity");
        root.put("data_source", data.source());
        root.put("validation_examples", split.validation().size());
        root.put("train_examples", split.train().size());
        root.put("backend", session.backend().toString());
        root.put("model", model);
        root.put("metric", "validation_accuracy");
        root.put("baseline", curves.get(0).baseline());
        ArrayNode grid = root.putArray("grid");
        for (double s : curves.get(0).sparsities()) {
            grid.add(s);
        }
        ArrayNode cs = root.putArray("curves");
        for (SensitivityCurve c : curves) {
            ObjectNode n = cs.addObject();
            n.put("id", c.tensorId());
            n.put("size", c.size());
            ArrayNode m = n.putArray("metrics");
            for (double v : c.metrics()) {
                m.add(v);
            }
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
                ts.addObject()
                        .put("id", id)
                        .put("size", allocation.sizes().get(id))
                        .put("pruned", allocation.prunedCounts().get(id))
                        .put("sparsity", allocation.sparsities().get(id));
            }
        }
        return BenchJson.write(mapper, root);
    }
}
