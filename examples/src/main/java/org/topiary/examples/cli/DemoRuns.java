package org.topiary.examples.cli;

import java.util.List;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.RunSpec;

/**
 * The runs {@code topiary demo} trains, in order, all on LeNet-300-100 with the same seed, data
 * and batch order.
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
        return List.of(RunSpec.of("dense", ModelZoo::lenet300100));
    }
}
