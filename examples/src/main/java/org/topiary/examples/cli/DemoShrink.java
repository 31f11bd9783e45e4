package org.topiary.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.topiary.examples.bench.StructBench;
import org.topiary.examples.progress.ProgressReporter;
import org.topiary.examples.report.ShrinkSummary;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.RunSpec;
import org.topiary.examples.train.TrainOptions;
import org.topiary.examples.train.Trainer;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.dl4j.surgery.ShrunkModel;
import org.topiary.sparsity.dl4j.surgery.SurgeryPlan;

/**
 * The demo's third run, {@code shrunk-50}: from the trained dense network, remove half of each
 * hidden layer's neurons (lowest L1 norm of incoming weights), build the smaller network with
 * {@link SurgeryPlan} (784-150-50-10), fine-tune it one epoch (same seed and batch order as the
 * other runs, fresh Adam state) and time inference at batch 256, dense vs shrunk, interleaved.
 *
 * <p>Shrinking before fine-tuning equals fine-tuning the masked network and shrinking afterwards
 * (removed neurons cannot come back either way) and is cheaper. About 10–20 s on 2 cores.
 */
final class DemoShrink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DemoShrink.class);

    /** Fraction of hidden neurons removed per layer. */
    static final double FRACTION = 0.5;

    /** Timing rounds (interleaved; medians). */
    static final int ROUNDS = 7;

    private DemoShrink() {}

    /** The fine-tuned shrunk run and its summary. */
    record Outcome(RunResult run, ShrinkSummary summary) {}

    static Outcome run(RunResult dense, TrainingData data, long seed, Path outDir, ProgressReporter progress) {
        long t0 = System.nanoTime();
        MultiLayerNetwork source = load(dense.modelFile());
        Map<String, List<Integer>> units = StructBench.lowestL1Units(source, StructBench.layersOf(source, DenseLayer.class), FRACTION);
        ShrunkModel shrunk = SurgeryPlan.of(source, units).apply();
        MultiLayerNetwork net = shrunk.network();
        double before = net.evaluate(data.testIterator(1000)).accuracy();
        String name = "shrunk-" + Math.round(FRACTION * 100);
        RunResult run = Trainer.create(data, TrainOptions.of(1, seed), progress).train(RunSpec.of(name, s -> net), outDir);
        StructBench.Latency latency = StructBench.latency(source, net, data, ROUNDS);
        ShrinkSummary summary = new ShrinkSummary(name, dense.name(), FRACTION, shrunk.report().unitsByLayer(),
                shrunk.report().paramsBefore(), shrunk.report().paramsAfter(), before, run.testAccuracy(),
                latency.denseB256Ms(), latency.shrunkB256Ms(), latency.speedupB256());
        LOG.info(String.format(java.util.Locale.ROOT, "shrink step: %s -> %s, fine-tuned, timed in %.1f s",
                dense.name(), shrunk.report().unitsByLayer().values(), (System.nanoTime() - t0) / 1e9));
        return new Outcome(run, summary);
    }

    private static MultiLayerNetwork load(Path file) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dense model " + file + ": " + e.getMessage(), e);
        }
    }
}
