package org.topiary.examples.progress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.RunResult;

/** Logs one line per epoch (loss, test accuracy, examples/s) and one per run. */
final class LogLineReporter implements ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(LogLineReporter.class);

    private String run = "";

    @Override
    public void runStarted(String run, int epochs, long examplesPerEpoch) {
        this.run = run;
        LOG.info("[{}] training {} epoch(s) of {} examples", run, epochs, examplesPerEpoch);
    }

    @Override
    public void stepDone(long examples, double loss) {}

    @Override
    public void epochDone(EpochStats stats, int epochs) {
        LOG.info(ProgressFormat.epoch(run, stats, epochs));
    }

    @Override
    public void runDone(RunResult result) {
        LOG.info(ProgressFormat.run(result));
    }
}
