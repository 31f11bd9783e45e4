package org.topiary.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.bench.NmBench;
import org.topiary.examples.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench nm}: FMNIST-STRUCT's N:M part ({@link NmBench}): dense LeNet-300-100, gradual
 * N:M (2:4 by default) and one-shot N:M on the trained dense model plus fine-tuning, same init and
 * batch order per seed; accuracy vs dense, exactness of the pattern.
 */
@Command(
        name = "nm",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-STRUCT N:M: LeNet-300-100, Adam 1e-3, batch 128; dense vs gradual N:M (cubic, end of"
                    + " epoch 1 to end of epoch 7, masks every 100 steps, then fine-tuning) vs one-shot N:M on"
                    + " the trained dense model + fine-tuning. Target: N:M >= dense - 0.5 pt. N:M gives no"
                    + " speedup inside ND4J (no sparse tensor-core kernels).",
            ""
        })
public final class BenchNmCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchNmCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds (each one trains every arm). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--n", defaultValue = "2", paramLabel = "N", description = "Weights kept per run. Default: ${DEFAULT-VALUE}.")
    private int n;

    @Option(names = "--m", defaultValue = "4", paramLabel = "M", description = "Run length along the input dimension. Default: ${DEFAULT-VALUE}.")
    private int m;

    @Mixin private GmpWindowOptions window;

    @Option(names = "--fine-tune-epochs", defaultValue = "2", paramLabel = "E",
            description = "Epochs after one-shot pruning. Default: ${DEFAULT-VALUE}.")
    private int fineTuneEpochs;

    /** Creates the command; picocli fills its fields. */
    public BenchNmCommand() {}

    @Override
    public Integer call() {
        NmBench.Options options = CliErrors.usage(spec, () -> new NmBench.Options(seeds, common.epochs(),
                GmpWindowOptions.BATCH_SIZE, window.beginEpoch(), window.endEpoch(), GmpWindowOptions.FREQUENCY,
                fineTuneEpochs, n, m));
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        NmBench.Result result = NmBench.run(data, options, LOG::info);
        String table = NmBench.table(result);
        session.finishBench("bench-nm.txt", CommandSession.dataHeader(result.dataSource(), 0), table, () -> json(result, session));
        return TopiaryCli.EXIT_OK;
    }

    static String json(NmBench.Result r, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = tree(mapper, r, session);
        return BenchJson.write(mapper, root);
    }

    /** The JSON document as a tree (also embedded by {@code bench struct}'s {@code nm} arm). */
    static ObjectNode tree(ObjectMapper mapper, NmBench.Result r, CommandSession session) {
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-nm", "bench nm");
        BenchJson.putSource(root, r.dataSource(), session);
        root.put("pattern", r.options().n() + ":" + r.options().m());
        root.put("steps_per_epoch", r.stepsPerEpoch());
        root.put("begin_epoch", r.options().beginEpoch());
        root.put("end_epoch", r.options().endEpoch());
        root.put("frequency", r.options().frequency());
        root.put("fine_tune_epochs", r.options().fineTuneEpochs());
        root.put("target_delta_vs_dense", NmBench.TARGET_DELTA);
        root.put("speedup_in_nd4j", "none: ND4J has no sparse tensor-core kernels; masked matrices are multiplied dense");
        ObjectNode lat = root.putObject("inference_b256");
        lat.put("batch", r.latency().batch());
        lat.put("repeats", r.latency().repeats());
        lat.put("dense_ms", r.latency().denseMillis());
        lat.put("nm_ms", r.latency().nmMillis());
        lat.put("ratio", r.latency().ratio());
        ArrayNode runs = root.putArray("runs");
        for (NmBench.Run run : r.runs()) {
            ObjectNode o = runs.addObject();
            o.put("name", run.name());
            o.put("seed", run.seed());
            o.put("epochs", run.epochs());
            o.put("test_accuracy", run.testAccuracy());
            BenchJson.putFiniteOrNull(o, "accuracy_before_fine_tune", run.accuracyBeforeFineTune());
            BenchJson.putSeries(o, "accuracy_per_epoch", run.accuracyPerEpoch());
            o.put("sparsity", run.sparsity().sparsity());
            o.put("pattern_exact", run.patternExact());
            BenchJson.putLayers(o, run.sparsity());
            o.put("train_seconds", run.trainSeconds());
            BenchJson.putSeries(o, "epoch_seconds", run.epochSeconds());
            BenchJson.putHistory(o, run.history());
        }
        ArrayNode sums = root.putArray("summary");
        for (NmBench.Summary s : r.summaries()) {
            sums.addObject()
                    .put("name", s.name())
                    .put("seeds", s.seeds())
                    .put("mean_test_accuracy", s.meanAccuracy())
                    .put("std_test_accuracy", s.stdAccuracy())
                    .put("mean_delta_vs_dense", s.meanDeltaVsDense())
                    .put("std_delta_vs_dense", s.stdDeltaVsDense())
                    .put("mean_delta_vs_equal_training", s.meanDeltaVsEqualTraining())
                    .put("std_delta_vs_equal_training", s.stdDeltaVsEqualTraining())
                    .put("mean_sparsity", s.meanSparsity())
                    .put("pattern_exact", s.allPatternsExact())
                    .put("target_met", s.targetMet());
        }
        return root;
    }
}
