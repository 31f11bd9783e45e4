package org.topiary.examples.cli;

import java.util.List;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.PrunedRun;
import org.topiary.examples.train.RunContext;
import org.topiary.examples.train.RunSpec;
import org.topiary.sparsity.PruningConfig;

/**
 * The runs {@code topiary demo} trains, in order, all on LeNet-300-100 with the same seed, data
 * and batch order: {@code dense}, then {@code gmp-90} (gradual magnitude pruning to 90%,
 * layer-wise, the FMNIST-GMP protocol). After them the demo runs {@link DemoShrink}, which cuts
 * {@code shrunk-50} from the trained {@code dense} network.
 *
 * <p>To add a run, add one element, e.g. a pruned run whose listeners come from the pruning
 * plugin and which records its schedule for the report:
 *
 * <pre>{@code
 * RunSpec.of("gmp-90", ModelZoo::lenet300100)
 *        .withListeners(ctx -> List.of(pruningListener(ctx),
 *                SparsityTraceListener.every(100, schedule::sparsityAt, ctx)))
 * }</pre>
 */
public final class DemoRuns {

    private DemoRuns() {}

    /** The demo's runs. */
    public static List<RunSpec> all() {
        return List.of(
                RunSpec.of("dense", ModelZoo::lenet300100),
                PrunedRun.of("gmp-90", ModelZoo::lenet300100, DemoRuns::gmp90));
    }

    /**
     * The FMNIST-GMP schedule scaled to the run's length: cubic from 0 to 90% between the end of
     * the first epoch and the end of 70% of the epochs (epoch 7 of 10), masks every 100 steps,
     * then fine-tuning with fixed masks. With one epoch (a smoke run) it prunes during that epoch.
     */
    static PruningConfig gmp90(RunContext ctx) {
        long spe = ctx.stepsPerEpoch();
        long total = ctx.totalSteps();
        long begin = ctx.epochs() >= 3 ? spe : 0;
        long end = Math.max(begin + 1, ctx.epochs() >= 3 ? Math.round(ctx.epochs() * 0.7) * spe : total);
        return PruningConfig.gradual(0.9, begin, end, Math.max(1, Math.min(100, end - begin)));
    }
}
