package org.topiary.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.bench.SameDiffBench;
import org.topiary.examples.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench samediff}: FMNIST-SAMEDIFF ({@link SameDiffBench}): layer-wise GMP of
 * LeNet-300-100 as a MultiLayerNetwork with the PruningListener and as a SameDiff graph with
 * SameDiffPruning (and the same pair unpruned), same initial weights and batch order per seed,
 * epochs interleaved; accuracy per epoch, per-weight sparsity, paired differences and the
 * SameDiff/network epoch-time ratio.
 */
@Command(
        name = "samediff",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-SAMEDIFF: LeNet-300-100, Adam 1e-3, batch 128, layer-wise gradual magnitude"
                    + " pruning (cubic, end of epoch 1 to end of epoch 7, masks every 100 steps) as a"
                    + " MultiLayerNetwork (mln-gmp) and as the same network in SameDiff (sd-gmp), and the"
                    + " dense pair (mln-dense, sd-dense); same init and batch order per seed, epochs"
                    + " interleaved. About 2 minutes per seed with the full data.",
            ""
        })
public final class BenchSameDiffCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchSameDiffCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds (each one trains every arm). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.9",
            description = "Final sparsity of every weight tensor, in [0, 1). Default: ${DEFAULT-VALUE}.")
    private double sparsity;

    @Option(names = "--arms", split = ",", paramLabel = "ARM,ARM", defaultValue = "mln-gmp,sd-gmp,mln-dense,sd-dense",
            description = "Arms among mln-gmp, sd-gmp (needs mln-gmp), mln-dense, sd-dense (needs mln-dense)."
                    + " Default: ${DEFAULT-VALUE}.")
    private List<String> arms;

    @Mixin private GmpWindowOptions window;

    /** Creates the command; picocli fills its fields. */
    public BenchSameDiffCommand() {}

    @Override
    public Integer call() {
        SameDiffBench.Options options = CliErrors.usage(spec, () -> {
            if (!(sparsity >= 0.0 && sparsity < 1.0)) {
                throw new IllegalArgumentException("--sparsity must be in [0, 1), found " + sparsity);
            }
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("--seeds must name at least one seed");
            }
            return new SameDiffBench.Options(seeds, common.epochs(), GmpWindowOptions.BATCH_SIZE, window.beginEpoch(),
                    window.endEpoch(), GmpWindowOptions.FREQUENCY, sparsity,
                    arms.stream().map(SameDiffBench.Arm::parse).toList());
        });
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        SameDiffBench.Result result = SameDiffBench.run(data, options, LOG::info);
        String table = SameDiffBench.table(result);
        session.finishBench("bench-samediff.txt", CommandSession.dataHeader(result.dataSource(), 0), table,
                () -> json(result, session));
        return TopiaryCli.EXIT_OK;
    }

    static String json(SameDiffBench.Result r, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-samediff", "bench samediff");
        BenchJson.putSource(root, r.dataSource(), session);
        root.put("steps_per_epoch", r.stepsPerEpoch());
        root.put("batch_size", r.options().batchSize());
        root.put("begin_epoch", r.options().beginEpoch());
        root.put("end_epoch", r.options().endEpoch());
        root.put("frequency", r.options().frequency());
        root.put("target_sparsity", r.options().sparsity());
        ArrayNode runs = root.putArray("runs");
        for (SameDiffBench.Run run : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("arm", run.arm().label());
            n.put("reference", run.arm().reference().label());
            n.put("seed", run.seed());
            n.put("epochs", run.accuracyPerEpoch().size());
            n.put("test_accuracy", run.testAccuracy());
            BenchJson.putSeries(n, "accuracy_per_epoch", run.accuracyPerEpoch());
            n.put("sparsity", run.sparsity().sparsity());
            n.put("nonzero_params", run.sparsity().totalNonZeros());
            BenchJson.putLayers(n, run.sparsity());
            n.put("initial_output_max_abs_diff", run.initialOutputDiff());
            n.put("train_seconds", run.trainSeconds());
            n.put("train_cpu_seconds", run.trainCpuSeconds());
            BenchJson.putSeries(n, "epoch_seconds", run.epochSeconds());
            BenchJson.putHistory(n, run.history());
        }
        ArrayNode sums = root.putArray("summary");
        for (SameDiffBench.Summary s : r.summaries()) {
            sums.addObject()
                    .put("arm", s.arm().label())
                    .put("seeds", s.seeds())
                    .put("mean_test_accuracy", s.meanAccuracy())
                    .put("std_test_accuracy", s.stdAccuracy())
                    .put("reference", s.arm().reference().label())
                    .put("mean_delta_vs_reference", s.meanDeltaVsReference())
                    .put("std_delta_vs_reference", s.stdDeltaVsReference())
                    .put("mean_sparsity", s.meanSparsity())
                    .put("median_epoch_time_ratio_vs_reference", s.medianEpochRatio());
        }
        return BenchJson.write(mapper, root);
    }
}
