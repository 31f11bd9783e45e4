package org.topiary.examples.progress;

import java.util.Locale;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.RunResult;

/** The wording shared by both reporters. */
final class ProgressFormat {

    private ProgressFormat() {}

    static String epoch(String run, EpochStats s, int epochs) {
        return String.format(
                Locale.ROOT,
                "[%s] epoch %d/%d: loss %.4f, test accuracy %.2f%%, %,.0f examples/s (%.1f s)",
                run,
                s.epoch(),
                epochs,
                s.meanLoss(),
                100 * s.testAccuracy(),
                s.examplesPerSecond(),
                s.trainSeconds());
    }

    static String run(RunResult r) {
        return String.format(
                Locale.ROOT,
                "[%s] done: test accuracy %.2f%%, sparsity %.1f%%, %,.0f examples/s, %.1f s training",
                r.name(),
                100 * r.testAccuracy(),
                100 * r.sparsity(),
                r.examplesPerSecond(),
                r.trainSeconds());
    }
}
