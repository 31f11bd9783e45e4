package org.topiary.examples.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.progress.ProgressReporter;

/**
 * Trains {@link RunSpec}s on one data set with one set of {@link TrainOptions}.
 *
 * <p>For each run: build the network from the seed, attach the spec's listeners (those the factory
 * attached to the network itself, then those it returned) followed by the trainer's own progress
 * listener, then per epoch call {@code fit(DataSetIterator)} (so DL4J fires
 * {@code onEpochStart/onEpochEnd} and counts epochs) and evaluate test accuracy. Training time is
 * the sum of the {@code fit} calls; evaluation is excluded. Finally the model is saved with {@code
 * ModelSerializer} (without updater state) to {@code <outDir>/<name>.zip} and its weights are
 * measured with {@link WeightSparsity}.
 */
public final class Trainer {

    /** Batch size for evaluation; it does not change the accuracy, only the speed. */
    static final int EVAL_BATCH_SIZE = 1000;

    private final TrainingData data;
    private final TrainOptions options;
    private final ProgressReporter progress;

    private Trainer(TrainingData data, TrainOptions options, ProgressReporter progress) {
        this.data = Objects.requireNonNull(data, "data");
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * A trainer for one data set and one set of options.
     *
     * @param data the data set
     * @param options epochs, batch size and seed
     * @param progress where to report progress ({@link ProgressReporter#none()} for silence)
     * @return the trainer
     */
    public static Trainer create(TrainingData data, TrainOptions options, ProgressReporter progress) {
        return new Trainer(data, options, progress);
    }

    /**
     * Trains one run and saves its model into {@code outDir}.
     *
     * @param spec what to train
     * @param outDir existing folder for the model file
     * @return the run's result
     * @throws UncheckedIOException naming the file if the model cannot be saved
     */
    public RunResult train(RunSpec spec, Path outDir) {
        return train(spec, outDir, 0, 0);
    }

    /**
     * Trains one run that continues from a checkpoint: the network (from the spec's model factory)
     * has already completed {@code completedEpochs} epochs and {@code batchesIntoEpoch} batches of
     * the next one. The data iterator is advanced to the same position (same seed, so the same batch
     * order) and training continues there up to {@code options.epochs()} epochs. Only the epochs
     * trained here appear in the result.
     *
     * @param spec what to train
     * @param outDir existing folder for the model file
     * @param completedEpochs epochs already trained, {@code >= 0}
     * @param batchesIntoEpoch batches of the next epoch already trained, {@code >= 0}
     * @return the run's result
     */
    public RunResult train(RunSpec spec, Path outDir, long completedEpochs, long batchesIntoEpoch) {
        if (completedEpochs < 0 || batchesIntoEpoch < 0) {
            throw new IllegalArgumentException(
                    "resume position must be >= 0, found epoch " + completedEpochs + ", batch " + batchesIntoEpoch);
        }
        MultiLayerNetwork net = spec.model().create(options.seed());
        int stepsPerEpoch = options.stepsPerEpoch(data.trainSize());
        SparsityTrace trace = new SparsityTrace();
        RunContext context =
                new RunContext(net, options.seed(), options.epochs(), stepsPerEpoch, trace);

        // Keep listeners the factory attached itself (e.g. PruningListener.attach), add the ones
        // it returned (once), and put the trainer's own listener last.
        List<TrainingListener> listeners = new ArrayList<>();
        if (net.getListeners() != null) {
            listeners.addAll(net.getListeners());
        }
        for (TrainingListener l : spec.listeners().create(context)) {
            if (listeners.stream().noneMatch(existing -> existing == l)) {
                listeners.add(l);
            }
        }
        StepListener steps = new StepListener(progress, options.batchSize());
        listeners.add(steps);
        net.setListeners(listeners);

        DataSetIterator train = data.trainIterator(options.batchSize(), options.seed());
        DataSetIterator test = data.testIterator(EVAL_BATCH_SIZE);
        advance(train, completedEpochs, batchesIntoEpoch);
        progress.runStarted(spec.name(), options.epochs(), data.trainSize());
        List<EpochStats> epochs = new ArrayList<>();
        for (int epoch = (int) completedEpochs + 1; epoch <= options.epochs(); epoch++) {
            steps.startEpoch();
            long start = System.nanoTime();
            net.fit(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats =
                    new EpochStats(
                            epoch, steps.meanLoss(), accuracy(net, test), seconds, steps.examples());
            epochs.add(stats);
            progress.epochDone(stats, options.epochs());
        }

        Path modelFile = outDir.resolve(spec.name() + ".zip");
        try {
            spec.writer().write(net, modelFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model file " + modelFile + ": " + e.getMessage(), e);
        }
        long modelBytes;
        try {
            modelBytes = Files.size(modelFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + modelFile, e);
        }
        RunResult result =
                new RunResult(
                        spec.name(),
                        options.seed(),
                        options.batchSize(),
                        epochs,
                        WeightSparsity.measure(net),
                        modelFile,
                        modelBytes,
                        trace.points());
        progress.runDone(result);
        return result;
    }

    /** Moves a fresh seeded iterator to the given position without training. */
    private static void advance(DataSetIterator train, long completedEpochs, long batchesIntoEpoch) {
        for (long e = 0; e < completedEpochs; e++) {
            while (train.hasNext()) {
                train.next();
            }
            train.reset();
        }
        for (long b = 0; b < batchesIntoEpoch && train.hasNext(); b++) {
            train.next();
        }
    }

    private static double accuracy(MultiLayerNetwork net, DataSetIterator test) {
        test.reset();
        Evaluation evaluation = net.evaluate(test);
        return evaluation.accuracy();
    }

    /** Counts examples and averages the loss per epoch; forwards each step to the reporter. */
    private static final class StepListener extends BaseTrainingListener {
        private final ProgressReporter progress;
        private final int batchSize;
        private double lossSum;
        private long steps;
        private long examples;

        StepListener(ProgressReporter progress, int batchSize) {
            this.progress = progress;
            this.batchSize = batchSize;
        }

        void startEpoch() {
            lossSum = 0;
            steps = 0;
            examples = 0;
        }

        double meanLoss() {
            return steps == 0 ? Double.NaN : lossSum / steps;
        }

        long examples() {
            return examples;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            long batch = model.batchSize() > 0 ? model.batchSize() : batchSize;
            double loss = model.score();
            lossSum += loss;
            steps++;
            examples += batch;
            progress.stepDone(batch, loss);
        }
    }
}
