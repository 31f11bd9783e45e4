package org.topiary.examples.progress;

import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.RunResult;

/**
 * Receives training progress from the {@code Trainer}. All methods are called on the training
 * thread, in the order {@code runStarted}, ({@code stepDone}* {@code epochDone})+, {@code
 * runDone}.
 */
public interface ProgressReporter {

    /**
     * A run begins.
     *
     * @param run run name
     * @param epochs epochs to train
     * @param examplesPerEpoch training examples per epoch
     */
    void runStarted(String run, int epochs, long examplesPerEpoch);

    /**
     * One optimizer step finished.
     *
     * @param examples examples in the step's batch
     * @param loss the step's training loss
     */
    void stepDone(long examples, double loss);

    /**
     * An epoch finished and was evaluated.
     *
     * @param stats the epoch's numbers
     * @param epochs epochs of the run
     */
    void epochDone(EpochStats stats, int epochs);

    /**
     * The run finished.
     *
     * @param result its result
     */
    void runDone(RunResult result);

    /** Reports nothing. */
    static ProgressReporter none() {
        return new ProgressReporter() {
            @Override
            public void runStarted(String run, int epochs, long examplesPerEpoch) {}

            @Override
            public void stepDone(long examples, double loss) {}

            @Override
            public void epochDone(EpochStats stats, int epochs) {}

            @Override
            public void runDone(RunResult result) {}
        };
    }

    /** One log line per epoch and per run (for pipes, files and CI). */
    static ProgressReporter logLines() {
        return new LogLineReporter();
    }

    /** A progress bar with ETA on standard error, plus a log line per run. */
    static ProgressReporter progressBar() {
        return new ProgressBarReporter();
    }

    /** {@link #progressBar()} when a console is attached ({@code System.console() != null}), else {@link #logLines()}. */
    static ProgressReporter forConsole() {
        return System.console() != null ? progressBar() : logLines();
    }
}
