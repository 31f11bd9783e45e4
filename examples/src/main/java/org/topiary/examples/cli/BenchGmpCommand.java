package org.topiary.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.bench.GmpBench;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench gmp}: the FMNIST-GMP benchmark ({@link GmpBench}): dense and pruned
 * LeNet-300-100 trained back to back per seed, epochs interleaved; accuracy, per-layer sparsity,
 * examples/s, listener overhead and the pruned/dense epoch-time ratio.
 */
@Command(
        name = "gmp",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-GMP: LeNet-300-100, Adam 1e-3, batch 128; dense vs gradual magnitude pruning"
                    + " (cubic, end of epoch 1 to end of epoch 7, masks every 100 steps) for each"
                    + " sparsity x scope, same init and batch order per seed. About 5 runs x 1 minute"
                    + " per seed on 2 cores with the full data.",
            ""
        })
public final class BenchGmpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchGmpCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds (each one trains every variant). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--sparsities", split = ",", paramLabel = "S,S", defaultValue = "0.9,0.95",
            description = "Final sparsities. Default: ${DEFAULT-VALUE}.")
    private List<Double> sparsities;

    @Option(names = "--scopes", split = ",", paramLabel = "layer,global", defaultValue = "layer,global",
            description = "Scopes. Default: ${DEFAULT-VALUE}.")
    private List<String> scopes;

    @Mixin private GmpWindowOptions window;

    /** Creates the command; picocli fills its fields. */
    public BenchGmpCommand() {}


    @Override
    public Integer call() {
        GmpBench.Options options = CliErrors.usage(spec, () -> {
            List<GmpBench.Variant> variants = new ArrayList<>();
            for (double s : sparsities) {
                for (String scope : scopes) {
                    variants.add(new GmpBench.Variant(s, Scope.parse(scope)));
                }
            }
            return new GmpBench.Options(seeds, common.epochs(), GmpWindowOptions.BATCH_SIZE, window.beginEpoch(),
                    window.endEpoch(), GmpWindowOptions.FREQUENCY, variants);
        });
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        GmpBench.Result result = GmpBench.run(data, options, LOG::info);
        String table = GmpBench.table(result);
        session.finishBench("bench-gmp.txt", CommandSession.dataHeader(result.dataSource(), 0), table, () -> json(result, session));
        return TopiaryCli.EXIT_OK;
    }

    static String json(GmpBench.Result r, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-gmp", "bench gmp");
        BenchJson.putSource(root, r.dataSource(), session);
        root.put("steps_per_epoch", r.stepsPerEpoch());
        root.put("begin_epoch", r.options().beginEpoch());
        root.put("end_epoch", r.options().endEpoch());
        root.put("frequency", r.options().frequency());
        ArrayNode runs = root.putArray("runs");
        for (GmpBench.Run run : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("name", run.name());
            n.put("seed", run.seed());
            n.put("epochs", run.epochs());
            n.put("test_accuracy", run.testAccuracy());
            BenchJson.putSeries(n, "accuracy_per_epoch", run.accuracyPerEpoch());
            n.put("sparsity", run.sparsity().sparsity());
            n.put("nonzero_params", run.sparsity().totalNonZeros());
            BenchJson.putLayers(n, run.sparsity());
            n.put("train_seconds", run.trainSeconds());
            n.put("examples_per_second", run.examplesPerSecond());
            n.put("listener_seconds", run.listenerSeconds());
            n.put("train_cpu_seconds", run.trainCpuSeconds());
            n.put("listener_cpu_seconds", run.listenerCpuSeconds());
            n.put("train_gc_seconds", run.trainGcSeconds());
            n.put("listener_gc_seconds", run.listenerGcSeconds());
            BenchJson.putSeries(n, "epoch_seconds", run.epochSeconds());
            BenchJson.putHistory(n, run.history());
        }
        ArrayNode sums = root.putArray("summary");
        for (GmpBench.Summary s : r.summaries()) {
            sums.addObject()
                    .put("name", s.name())
                    .put("seeds", s.seeds())
                    .put("mean_test_accuracy", s.meanAccuracy())
                    .put("std_test_accuracy", s.stdAccuracy())
                    .put("mean_delta_vs_dense", s.meanDeltaVsDense())
                    .put("std_delta_vs_dense", s.stdDeltaVsDense())
                    .put("mean_sparsity", s.meanSparsity())
                    .put("median_listener_overhead", s.medianOverhead())
                    .put("median_epoch_time_ratio", s.medianEpochRatio())
                    .put("median_listener_cpu_overhead", s.medianCpuOverhead())
                    .put("median_listener_overhead_without_gc", s.medianOverheadWithoutGc());
        }
        return BenchJson.write(mapper, root);
    }
}
