package org.topiary.examples.search;

import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.topiary.examples.train.TrainingData;

/**
 * Arbiter's {@link TaskCreator} for pruning candidates: each task trains one {@link
 * CandidateSettings} with {@link CandidateTraining#trainAndEvaluate} on the validation data,
 * scores it with the search's {@link ScoreFunction} and returns an {@link OptimizationResult}
 * whose {@link CandidateInfo} is never null (status {@code Complete} or {@code Failed}, start and
 * end time, the flat parameter vector, the stack trace of a failure). A failure, e.g. a diverged
 * loss, never escapes the task: it is returned as a {@code Failed} result, so the runner counts
 * it and the search continues.
 *
 * <p>Each task builds its own network, listeners and iterators; the only objects tasks share are
 * immutable (settings, training recipe, data arrays) or thread-safe (the record sink, the progress
 * reporter), so {@code LocalOptimizationRunner} may run several at once.
 */
final class PruningTaskCreator implements TaskCreator {

    private final CandidateTraining training;
    private final TrainingData data;
    private final Consumer<CandidateRecord> sink;
    private final SearchProgress progress;

    /**
     * @param training how to train a candidate
     * @param data training split and validation split
     * @param sink receives every candidate's record (called from the candidate's thread)
     * @param progress progress reporter
     */
    PruningTaskCreator(
            CandidateTraining training, TrainingData data, Consumer<CandidateRecord> sink, SearchProgress progress) {
        this.training = Objects.requireNonNull(training, "training");
        this.data = Objects.requireNonNull(data, "data");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public Callable<OptimizationResult> create(
            Candidate candidate,
            DataProvider dataProvider,
            ScoreFunction scoreFunction,
            List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        return () -> run(candidate, scoreFunction, statusListeners, runner);
    }

    @Override
    public Callable<OptimizationResult> create(
            Candidate candidate,
            Class<? extends DataSource> dataSource,
            Properties dataSourceProperties,
            ScoreFunction scoreFunction,
            List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        return () -> run(candidate, scoreFunction, statusListeners, runner);
    }

    private OptimizationResult run(
            Candidate<?> candidate, ScoreFunction scoreFunction, List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        long start = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        int index = candidate.getIndex();
        CandidateSettings settings =
                candidate.getValue() instanceof CandidateSettings s ? s : null;
        CandidateRecord record;
        OptimizationResult result;
        try {
            if (settings == null) {
                throw new IllegalArgumentException(
                        "candidate " + index + " holds " + candidate.getValue() + ", not CandidateSettings;"
                                + " use a CandidateSpace as the generator's parameter space");
            }
            progress.candidateStarted(index, settings);
            CandidateMetrics metrics = training.trainAndEvaluate(settings, data);
            double score = scoreFunction.score(metrics, null, candidate.getDataParameters());
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            record = CandidateRecord.completed(index, settings, metrics, score, seconds);
            CandidateInfo info = new CandidateInfo(index, CandidateStatus.Complete, score, start, start,
                    System.currentTimeMillis(), candidate.getFlatParameters(), null);
            result = new OptimizationResult(candidate, score, index, metrics, info, null);
        } catch (Exception | AssertionError e) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            record = CandidateRecord.failed(index, settings, seconds, firstLine(e));
            CandidateInfo info = new CandidateInfo(index, CandidateStatus.Failed, null, start, start,
                    System.currentTimeMillis(), candidate.getFlatParameters(), stackTrace(e));
            result = new OptimizationResult(candidate, null, index, null, info, null);
        }
        sink.accept(record);
        progress.candidateDone(record);
        if (statusListeners != null) {
            for (StatusListener l : statusListeners) {
                l.onCandidateStatusChange(result.getCandidateInfo(), runner, result);
            }
        }
        return result;
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static String firstLine(Throwable e) {
        String m = e.getClass().getSimpleName() + ": " + e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
