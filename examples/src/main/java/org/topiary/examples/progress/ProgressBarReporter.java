package org.topiary.examples.progress;

import java.text.DecimalFormat;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.RunResult;

/**
 * One progress bar per run on standard error, counting training examples, with speed and ETA; the
 * current epoch and the last epoch's test accuracy are shown next to it. A log line per run
 * follows the bar.
 */
final class ProgressBarReporter implements ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressBarReporter.class);

    private ProgressBar bar;
    private int epoch = 1;
    private int epochs = 1;

    @Override
    public void runStarted(String run, int epochs, long examplesPerEpoch) {
        closeBar();
        this.epoch = 1;
        this.epochs = epochs;
        bar =
                new ProgressBarBuilder()
                        .setTaskName(run)
                        .setInitialMax(epochs * examplesPerEpoch)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" ex", 1)
                        .showSpeed(new DecimalFormat("#,##0"))
                        .setUpdateIntervalMillis(500)
                        .build();
        bar.setExtraMessage(String.format(Locale.ROOT, " ep 1/%d", epochs));
    }

    @Override
    public void stepDone(long examples, double loss) {
        if (bar != null) {
            bar.stepBy(examples);
        }
    }

    @Override
    public void epochDone(EpochStats stats, int epochs) {
        epoch = stats.epoch();
        if (bar != null) {
            bar.setExtraMessage(
                    String.format(
                            Locale.ROOT,
                            " ep %d/%d acc %.1f%%",
                            Math.min(epoch + 1, epochs),
                            epochs,
                            100 * stats.testAccuracy()));
        }
    }

    @Override
    public void runDone(RunResult result) {
        closeBar();
        LOG.info(ProgressFormat.run(result));
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
