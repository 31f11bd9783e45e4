package org.topiary.examples.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.bench.ParallelBench;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench parallel}: FMNIST-PARALLEL ({@link ParallelBench}): layer-wise GMP of
 * LeNet-300-100 trained plainly with the PruningListener ({@code single}) and through DL4J's
 * ParallelWrapper with parameter averaging ({@code pw-W}), same initial weights and batch order per
 * seed, epochs alternated; accuracy per epoch, exact per-weight sparsity, the paired difference and
 * the wrapper/single epoch wall and CPU time ratios.
 */
@Command(
        name = "parallel",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-PARALLEL: LeNet-300-100, Adam 1e-3, batch 128, layer-wise gradual magnitude pruning"
                    + " (cubic, end of epoch 1 to end of epoch 7, masks every 100 steps) trained plainly (single)"
                    + " and under ParallelWrapper with parameter averaging (pw-W: W workers, a step is one round"
                    + " of W minibatches); same init and batch order per seed, epochs alternated. Native threads"
                    + " (--threads, default 1) are process-wide: each worker runs its ops on that many threads."
                    + " About 2 minutes per seed with the full data on 2 cores.",
            ""
        })
public final class BenchParallelCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchParallelCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds (each one trains both arms). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.9",
            description = "Final sparsity of every weight tensor, in [0, 1). Default: ${DEFAULT-VALUE}.")
    private double sparsity;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "2",
            description = "ParallelWrapper workers (>= 2). Default: ${DEFAULT-VALUE}.")
    private int workers;

    @Option(names = "--averaging-frequency", paramLabel = "R", defaultValue = "1",
            description = "Rounds between parameter (and Adam state) averagings (>= 1). Default: ${DEFAULT-VALUE}.")
    private int averagingFrequency;

    @Option(names = "--prefetch", paramLabel = "B", defaultValue = "2",
            description = "Minibatches the wrapper reads ahead (>= 1). Default: ${DEFAULT-VALUE}.")
    private int prefetch;

    @Option(names = "--dense",
            description = "Train both arms without pruning (the wrapper's own cost and accuracy, for comparison).")
    private boolean dense;

    @Mixin private GmpWindowOptions window;

    /** Creates the command; picocli fills its fields. */
    public BenchParallelCommand() {}

    @Override
    public Integer call() {
        ParallelBench.Options options = CliErrors.usage(spec, () -> {
            if (!(sparsity >= 0.0 && sparsity < 1.0)) {
                throw new IllegalArgumentException("--sparsity must be in [0, 1), found " + sparsity);
            }
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("--seeds must name at least one seed");
            }
            return new ParallelBench.Options(seeds, common.epochs(), GmpWindowOptions.BATCH_SIZE, window.beginEpoch(),
                    window.endEpoch(), GmpWindowOptions.FREQUENCY, sparsity, workers, averagingFrequency, prefetch, !dense);
        });
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        ParallelBench.Result result = ParallelBench.run(data, options, LOG::info);
        String table = ParallelBench.table(result);
        session.finishBench("bench-parallel.txt", CommandSession.dataHeader(result.dataSource(), 0), table,
                () -> json(result, session));
        return TopiaryCli.EXIT_OK;
    }

    static String json(ParallelBench.Result r, CommandSession session) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-parallel", "bench parallel");
        BenchJson.putSource(root, r.dataSource(), session);
        ParallelBench.Options o = r.options();
        root.put("batch_size", o.batchSize());
        root.put("minibatches_per_epoch", r.batchesPerEpoch());
        root.put("workers", o.workers());
        root.put("rounds_per_epoch", r.roundsPerEpoch());
        root.put("averaging_frequency", o.averagingFrequency());
        root.put("prefetch_buffer", o.prefetchBuffer());
        root.put("training_mode", "AVERAGING");
        root.put("average_updaters", true);
        root.put("begin_epoch", o.beginEpoch());
        root.put("end_epoch", o.endEpoch());
        root.put("frequency", o.frequency());
        root.put("pruned", o.pruned());
        root.put("target_sparsity", o.sparsity());
        root.put("same_initial_params", r.sameInitialParams());
        root.put("same_batch_order", r.sameBatchOrder());
        ArrayNode runs = root.putArray("runs");
        for (ParallelBench.Run run : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("arm", run.arm());
            n.put("seed", run.seed());
            n.put("epochs", run.accuracyPerEpoch().size());
            n.put("steps_per_epoch", run.stepsPerEpoch());
            n.put("steps", run.steps());
            n.put("test_accuracy", run.testAccuracy());
            BenchJson.putSeries(n, "accuracy_per_epoch", run.accuracyPerEpoch());
            n.put("sparsity", run.sparsity().sparsity());
            n.put("nonzero_params", run.sparsity().totalNonZeros());
            BenchJson.putLayers(n, run.sparsity());
            ArrayNode perEpoch = n.putArray("layer_sparsity_per_epoch");
            for (SparsityReport rep : run.sparsityPerEpoch()) {
                ObjectNode e = perEpoch.addObject();
                for (TensorSparsity t : rep.tensors()) {
                    e.put(t.id(), t.sparsity());
                }
            }
            n.put("train_seconds", run.trainSeconds());
            n.put("train_cpu_seconds", run.trainCpuSeconds());
            BenchJson.putSeries(n, "epoch_seconds", run.epochSeconds());
            BenchJson.putSeries(n, "epoch_cpu_seconds", run.epochCpuSeconds());
            BenchJson.putSeries(n, "batches_per_epoch", run.batchesPerEpoch());
            ArrayNode hashes = n.putArray("batch_order_hash_per_epoch");
            run.batchHashes().forEach(h -> hashes.add(Long.toHexString(h)));
            BenchJson.putHistory(n, run.history());
        }
        ArrayNode sums = root.putArray("summary");
        for (ParallelBench.Summary s : r.summaries()) {
            sums.addObject()
                    .put("arm", s.arm())
                    .put("seeds", s.seeds())
                    .put("mean_test_accuracy", s.meanAccuracy())
                    .put("std_test_accuracy", s.stdAccuracy())
                    .put("mean_delta_vs_single", s.meanDeltaVsSingle())
                    .put("std_delta_vs_single", s.stdDeltaVsSingle())
                    .put("mean_sparsity", s.meanSparsity());
            ObjectNode last = (ObjectNode) sums.get(sums.size() - 1);
            // null, not the string "NaN", where no epoch had a measurable reference (process CPU unavailable)
            BenchJson.putFiniteOrNull(last, "median_epoch_time_ratio_vs_single", s.medianEpochRatio());
            BenchJson.putFiniteOrNull(last, "median_epoch_cpu_ratio_vs_single", s.medianCpuRatio());
        }
        return BenchJson.write(mapper, root);
    }
}
