package org.topiary.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.bench.AllocationBench;
import org.topiary.examples.data.FashionMnist;
import org.topiary.sparsity.auto.Allocation;
import org.topiary.sparsity.auto.SensitivityCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench alloc}: sensitivity-based allocation vs global and layer-wise magnitude
 * pruning at one overall sparsity ({@link AllocationBench}).
 */
@Command(
        name = "alloc",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-ALLOC: LeNet-300-100, FMNIST-GMP schedule, at --sparsity overall: global"
                    + " magnitude vs per-layer sparsities allocated from sensitivity curves (measured"
                    + " per seed on a dense model, validation split of the training data) vs"
                    + " layer-wise; same init and batch order per seed. About 4 runs x 1 minute per"
                    + " seed on 2 cores with the full data.",
            ""
        })
public final class BenchAllocCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchAllocCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds. Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.98",
            description = "Overall final sparsity of the weight tensors. Default: ${DEFAULT-VALUE}.")
    private double sparsity;

    @Option(names = "--arms", split = ",", paramLabel = "global,alloc,layer,alloc-ft,alloc-op", defaultValue = "global,alloc,layer",
            description = "Arms; alloc-ft allocates from curves measured with --recovery-steps of masked training per point;"
                    + " alloc-op from survivor curves measured at a global-GMP model at --operating-sparsity. Default: ${DEFAULT-VALUE}.")
    private List<String> arms;

    @Option(names = "--grid", split = ",", paramLabel = "S,S",
            defaultValue = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95,0.98,0.99,0.995,0.998",
            description = "Sensitivity grid; must reach above --sparsity. Default: ${DEFAULT-VALUE}.")
    private List<Double> grid;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Validation part of the training images for the sensitivity step. Default: ${DEFAULT-VALUE}.")
    private double validationFraction;

    @Option(names = "--recovery-steps", paramLabel = "N", defaultValue = "100",
            description = "For the alloc-ft and alloc-op arms: masked training steps on the training part before each sensitivity point. Default: ${DEFAULT-VALUE}.")
    private int recoverySteps;

    @Option(names = "--operating-sparsity", paramLabel = "S0", defaultValue = "0.96",
            description = "For the alloc-op arm: overall sparsity of the global-GMP model the curves are measured from;"
                    + " below --sparsity. Default: ${DEFAULT-VALUE}.")
    private double operatingSparsity;

    @Option(names = "--operating-grid", split = ",", paramLabel = "F,F", defaultValue = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9",
            description = "For the alloc-op arm: fractions of each tensor's survivors pruned further, one curve point each."
                    + " Default: ${DEFAULT-VALUE}.")
    private List<Double> operatingGrid;

    @Mixin private GmpWindowOptions window;

    /** Creates the command; picocli fills its fields. */
    public BenchAllocCommand() {}

    @Override
    public Integer call() {
        AllocationBench.Options options = CliErrors.usage(spec, () -> {
            List<AllocationBench.Arm> armList = new ArrayList<>();
            for (String a : arms) {
                armList.add(AllocationBench.Arm.parse(a));
            }
            return new AllocationBench.Options(seeds, common.epochs(), GmpWindowOptions.BATCH_SIZE, window.beginEpoch(),
                    window.endEpoch(), GmpWindowOptions.FREQUENCY, sparsity, validationFraction,
                    grid.stream().mapToDouble(Double::doubleValue).toArray(), armList, recoverySteps, operatingSparsity,
                    operatingGrid.stream().mapToDouble(Double::doubleValue).toArray());
        });
        CommandSession session = CommandSession.start(spec, common);
        FashionMnist data = session.loadFashionMnist();
        String loadBefore = loadAverage();
        AllocationBench.Result result = AllocationBench.run(data, options, LOG::info);
        String loadAfter = loadAverage();
        String table = AllocationBench.table(result);
        session.finishBench("bench-alloc.txt", CommandSession.dataHeader(result.dataSource(), 0)
                        + "load average before/after: " + loadBefore + " / " + loadAfter + System.lineSeparator(),
                table, () -> json(result, session, loadBefore, loadAfter));
        return TopiaryCli.EXIT_OK;
    }

    static String json(AllocationBench.Result r, CommandSession session, String loadBefore, String loadAfter) {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-alloc", "bench alloc");
        BenchJson.putSource(root, r.dataSource(), session);
        root.put("load_average_before", loadBefore);
        root.put("load_average_after", loadAfter);
        root.put("steps_per_epoch", r.stepsPerEpoch());
        root.put("begin_epoch", r.options().beginEpoch());
        root.put("end_epoch", r.options().endEpoch());
        root.put("frequency", r.options().frequency());
        root.put("sparsity", r.options().sparsity());
        root.put("validation_fraction", r.options().validationFraction());
        root.put("recovery_steps", r.options().recoverySteps());
        root.put("operating_sparsity", r.options().operatingSparsity());
        BenchJson.putDoubles(root, "operating_grid", r.options().operatingGrid());
        root.put("collapse_accuracy", AllocationBench.COLLAPSE_ACCURACY);
        ArrayNode sens = root.putArray("sensitivity");
        for (AllocationBench.Sensitivity s : r.sensitivities()) {
            ObjectNode n = sens.addObject();
            n.put("seed", s.seed());
            n.put("dense_validation_accuracy", s.denseValidationAccuracy());
            n.put("seconds", s.seconds());
            ArrayNode curves = n.putArray("curves");
            for (SensitivityCurve c : s.curves()) {
                ObjectNode cn = curves.addObject().put("id", c.tensorId()).put("size", c.size());
                BenchJson.putDoubles(cn, "sparsities", c.sparsities());
                BenchJson.putDoubles(cn, "metrics", c.metrics());
            }
            putAllocation(n, "allocation", s.allocation());
            if (s.recoveredAllocation() != null) {
                ArrayNode rc = n.putArray("recovered_curves");
                for (SensitivityCurve c : s.recoveredCurves()) {
                    BenchJson.putDoubles(rc.addObject().put("id", c.tensorId()).put("size", c.size()), "metrics", c.metrics());
                }
                putAllocation(n, "recovered_allocation", s.recoveredAllocation());
            }
        }
        ArrayNode ops = root.putArray("operating_point");
        for (AllocationBench.OperatingPoint op : r.operatingPoints()) {
            ObjectNode n = ops.addObject();
            n.put("seed", op.seed());
            n.put("operating_sparsity", op.operatingSparsity());
            n.put("validation_accuracy", op.validationAccuracy());
            n.put("train_seconds", op.trainSeconds());
            n.put("analysis_seconds", op.analysisSeconds());
            ObjectNode sv = n.putObject("survivors");
            op.survivors().forEach(sv::put);
            ArrayNode curves = n.putArray("curves");
            for (SensitivityCurve c : op.curves()) {
                ObjectNode cn = curves.addObject().put("id", c.tensorId()).put("survivors", c.size()).put("baseline", c.baseline());
                BenchJson.putDoubles(cn, "fractions", c.sparsities());
                BenchJson.putDoubles(cn, "metrics", c.metrics());
            }
            ObjectNode a = putAllocation(n, "allocation", op.allocation());
            ObjectNode pc = a.putObject("pruned");
            op.allocation().prunedCounts().forEach(pc::put);
        }
        ArrayNode runs = root.putArray("runs");
        for (AllocationBench.Run run : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("arm", run.arm());
            n.put("seed", run.seed());
            n.put("test_accuracy", run.testAccuracy());
            BenchJson.putSeries(n, "accuracy_per_epoch", run.accuracyPerEpoch());
            n.put("sparsity", run.sparsity().sparsity());
            n.put("nonzero_weights", run.sparsity().totalNonZeros());
            BenchJson.putLayers(n, run.sparsity());
            n.put("live_output_classes", run.liveOutputClasses());
            n.put("dead_hidden_units", run.deadHiddenNeurons());
            n.put("collapsed", run.collapsed());
            n.put("train_seconds", run.trainSeconds());
        }
        ArrayNode sums = root.putArray("summary");
        for (AllocationBench.Summary s : r.summaries()) {
            ObjectNode n = sums.addObject()
                    .put("arm", s.arm())
                    .put("seeds", s.seeds())
                    .put("mean_test_accuracy", s.meanAccuracy())
                    .put("std_test_accuracy", s.stdAccuracy())
                    .put("min_test_accuracy", s.minAccuracy())
                    .put("collapses", s.collapses());
            BenchJson.putFiniteOrNull(n, "mean_delta_vs_global", s.meanDeltaVsGlobal());
            BenchJson.putFiniteOrNull(n, "std_delta_vs_global", s.stdDeltaVsGlobal());
        }
        return BenchJson.write(mapper, root);
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or {@code "unknown"}. */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** {@code name}: {@code predicted_drop}, {@code total_pruned} and the per-tensor {@code sparsities}. */
    private static ObjectNode putAllocation(ObjectNode parent, String name, Allocation allocation) {
        ObjectNode a = parent.putObject(name);
        a.put("predicted_drop", allocation.predictedDrop());
        a.put("total_pruned", allocation.totalPruned());
        ObjectNode sparsities = a.putObject("sparsities");
        allocation.sparsities().forEach(sparsities::put);
        return a;
    }
}
