package org.topiary.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.backend.MachineInfo;
import org.topiary.examples.backend.NativeThreads;
import org.topiary.examples.bench.NmBench;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.search.ValidationData;
import org.topiary.examples.bench.StructBench;
import org.topiary.examples.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench struct}: FMNIST-STRUCT ({@link StructBench}): remove the lowest-L1 hidden
 * neurons (LeNet-300-100) or filters (small CNN), shrink the network physically, fine-tune, and
 * time inference dense vs shrunk at batch 1 and 256.
 */
@Command(
        name = "struct",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-STRUCT: train dense LeNet-300-100 (and the small CNN), remove the hidden neurons"
                    + " (filters) with the lowest L1 norm of incoming weights, build the smaller network"
                    + " (model surgery), fine-tune 1 epoch; accuracy before and after, and inference"
                    + " latency dense vs shrunk at batch 1 and 256 (interleaved, medians). Use --threads 1.",
            ""
        })
public final class BenchStructCommand implements Callable<Integer> {
    private static final String NM_ARM = "nm";

    private static final Logger LOG = LoggerFactory.getLogger(BenchStructCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds. Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--fractions", split = ",", paramLabel = "F,F", defaultValue = "0.5,0.75",
            description = "Fractions of LeNet-300-100's hidden neurons removed per layer. Default: ${DEFAULT-VALUE}.")
    private List<Double> fractions;

    @Option(names = "--cnn-fraction", paramLabel = "F", defaultValue = "0.5",
            description = "Fraction of the small CNN's filters removed per conv layer. Default: ${DEFAULT-VALUE}.")
    private double cnnFraction;

    @Option(names = "--arms", split = ",", paramLabel = "ARM,ARM", defaultValue = "lenet,cnn,nm",
            description = "lenet, cnn (neurons / filters removed and shrunk), nm (2:4 on LeNet-300-100: gradual, and"
                    + " one-shot + fine-tune; the same benchmark as 'bench nm', no speedup inside ND4J)."
                    + " Default: ${DEFAULT-VALUE}.")
    private List<String> arms;

    @Option(names = "--nm-window", paramLabel = "B:E", defaultValue = "1:7",
            description = "nm arm: gradual 2:4 from the end of epoch B to the end of epoch E. Default: ${DEFAULT-VALUE}.")
    private String nmWindow;

    @Option(names = "--nm-fine-tune-epochs", paramLabel = "E", defaultValue = "2",
            description = "nm arm: epochs after one-shot 2:4. Default: ${DEFAULT-VALUE}.")
    private int nmFineTuneEpochs;

    @Option(names = "--cnn-model", paramLabel = "FILE",
            description = "A trained small CNN (ModelZoo.smallCnn, e.g. the bench kd teacher) to prune instead of"
                    + " training one per seed (150-280 s per epoch on one thread).")
    private Path cnnModel;

    @Option(names = "--fine-tune-epochs", paramLabel = "E", defaultValue = "1",
            description = "Fine-tuning epochs of the shrunk network. Default: ${DEFAULT-VALUE}.")
    private int fineTuneEpochs;

    @Option(names = "--fine-tune", paramLabel = "masked|shrunk", defaultValue = "masked",
            description = "masked: fine-tune the full-size network with the removed units masked, continuing"
                    + " the dense run's Adam state, then shrink; shrunk: fine-tune the shrunk network with fresh"
                    + " Adam state. Default: ${DEFAULT-VALUE}.")
    private String fineTune;

    @Option(names = "--fine-tune-lr", paramLabel = "LR", defaultValue = "7e-4",
            description = "Adam learning rate while fine-tuning (training uses 1e-3); chosen on a validation split"
                    + " (docs/benchmarks.md, FMNIST-STRUCT). Default: ${DEFAULT-VALUE}.")
    private double fineTuneLr;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0",
            description = "Train on the training set minus a stratified fraction F and report accuracies on that"
                    + " validation split instead of the test set (for choosing settings such as --fine-tune-lr)."
                    + " Default: ${DEFAULT-VALUE} (test set).")
    private double validationFraction;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "15",
            description = "Timing rounds (interleaved; medians). Default: ${DEFAULT-VALUE}.")
    private int rounds;

    @Mixin private MaxBatchesOption maxBatches;

    /** Creates the command; picocli fills its fields. */
    public BenchStructCommand() {}

    @Override
    public Integer call() {
        List<String> known = new java.util.ArrayList<>(StructBench.ARMS);
        known.add(NM_ARM);
        for (String a : arms) {
            if (!known.contains(a)) {
                throw new ParameterException(spec.commandLine(), "unknown arm '" + a + "'; arms: " + known);
            }
        }
        Set<String> shrinkArms = new java.util.LinkedHashSet<>(arms);
        boolean nm = shrinkArms.remove(NM_ARM);
        StructBench.Options options = shrinkArms.isEmpty() ? null : CliErrors.usage(spec, () -> new StructBench.Options(
                seeds, common.epochs(), fractions, cnnFraction, shrinkArms, cnnModel, fineTuneEpochs,
                StructBench.FineTune.parse(fineTune), fineTuneLr, rounds, maxBatches.value()));
        NmBench.Options nmOptions = nm ? CliErrors.usage(spec, this::nmOptions) : null;
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--validation-fraction must be in [0, 1), found " + validationFraction);
        }
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        if (validationFraction > 0) {
            FashionMnist fm = ((FashionMnistData) data).fashionMnist();
            data = ValidationData.of(fm.split(validationFraction, common.seed()), data.source());
            spec.commandLine().getOut().println("Accuracies below are on the validation split, not the test set: " + data.source());
        }
        StructBench.Result result = options == null ? null : StructBench.run(data, options, LOG::info);
        NmBench.Result nmResult = nmOptions == null ? null : NmBench.run(data, nmOptions, LOG::info);
        StringBuilder table = new StringBuilder();
        if (result != null) {
            table.append(StructBench.table(result));
        }
        if (nmResult != null) {
            table.append(System.lineSeparator()).append(NmBench.table(nmResult));
        }
        session.finishBench("bench-struct.md", CommandSession.dataHeader(data.source(), 1), table,
                () -> json(result, nmResult, session));
        return TopiaryCli.EXIT_OK;
    }

    /** 2:4 over {@code --nm-window} with the FMNIST-GMP batch size and mask frequency. */
    private NmBench.Options nmOptions() {
        String[] window = nmWindow.split(":", -1);
        if (window.length != 2) {
            throw new IllegalArgumentException("--nm-window must be B:E (epochs), found '" + nmWindow + "'");
        }
        return new NmBench.Options(seeds, common.epochs(), GmpWindowOptions.BATCH_SIZE, parseEpoch(window[0]),
                parseEpoch(window[1]), GmpWindowOptions.FREQUENCY, nmFineTuneEpochs, 2, 4);
    }

    private static int parseEpoch(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--nm-window: '" + s + "' is not an epoch number");
        }
    }

    static String json(StructBench.Result r, NmBench.Result nm, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-struct", "bench struct");
        if (nm != null) {
            root.set("nm", BenchNmCommand.tree(mapper, nm, session));
        }
        if (r == null) {
            root.putArray("runs");
            return BenchJson.write(mapper, root);
        }
        BenchJson.putSource(root, r.dataSource(), session);
        root.put("machine", MachineInfo.detect().describe());
        root.put("native_threads", NativeThreads.current().effective());
        root.put("epochs", r.options().epochs());
        root.put("fine_tune_epochs", r.options().fineTuneEpochs());
        root.put("evaluated_on", r.dataSource().contains("validation") ? "validation" : "test");
        root.put("fine_tune", r.options().fineTune().name().toLowerCase(java.util.Locale.ROOT));
        BenchJson.putFiniteOrNull(root, "fine_tune_lr", r.options().fineTuneLr());
        root.put("timing_rounds", r.options().rounds());
        if (r.cnnSource() != null) {
            root.put("cnn_source", r.cnnSource());
        }
        ArrayNode runs = root.putArray("runs");
        for (StructBench.Run run : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("name", run.name());
            n.put("model", run.model());
            n.put("fraction", run.fraction());
            n.put("seed", run.seed());
            n.put("dense_test_accuracy", run.denseAccuracy());
            n.put("shrunk_test_accuracy", run.accuracyBeforeFineTune());
            n.put("fine_tuned_test_accuracy", run.accuracyAfterFineTune());
            n.put("params_before", run.paramsBefore());
            n.put("params_after", run.paramsAfter());
            ObjectNode units = n.putObject("units");
            run.units().forEach(units::put);
            n.put("max_abs_diff", run.maxAbsDiff());
            ObjectNode ms = n.putObject("latency_ms");
            ms.put("dense_b1", run.latency().denseB1Ms());
            ms.put("shrunk_b1", run.latency().shrunkB1Ms());
            ms.put("dense_b256", run.latency().denseB256Ms());
            ms.put("shrunk_b256", run.latency().shrunkB256Ms());
            n.put("speedup_b1", run.latency().speedupB1());
            n.put("speedup_b256", run.latency().speedupB256());
            ArrayNode load = n.putArray("load_average");
            load.add(run.loadAverage()[0]).add(run.loadAverage()[1]);
        }
        return BenchJson.write(mapper, root);
    }

}
