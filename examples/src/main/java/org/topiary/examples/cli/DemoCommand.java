package org.topiary.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.topiary.examples.progress.ProgressReporter;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.RunSpec;
import org.topiary.examples.train.TrainOptions;
import org.topiary.examples.train.Trainer;
import org.topiary.examples.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code topiary demo}: trains the {@link DemoRuns} on Fashion-MNIST and reports them (table on
 * standard output, {@code report.md} and charts in the run folder, optional JSON).
 */
@Command(
        name = "demo",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "Train LeNet-300-100 (784-300-100-10, Adam 1e-3, batch 128) on Fashion-MNIST and"
                    + " report test accuracy, sparsity, model size and speed: dense, gmp-90 (gradual"
                    + " magnitude pruning to 90%%), and shrunk-50 (half of the dense network's hidden"
                    + " neurons removed, a smaller 784-150-50-10 network built, fine-tuned 1 epoch, and"
                    + " its batch-256 inference speedup measured).",
            "",
            "The default of " + DemoCommand.DEFAULT_EPOCHS + " epochs is the FMNIST-GMP"
                    + " protocol; with the full data it takes about " + DemoCommand.DEFAULT_MINUTES
                    + " per run on 2 CPU cores (docs/benchmarks.md). Use --epochs 1 for a quick"
                    + " look or --data embedded for the 10k/2k subset.",
            ""
        })
public final class DemoCommand implements Callable<Integer> {

    /** Default epochs: the full FMNIST-GMP protocol, which is quick enough for a demo. */
    static final String DEFAULT_EPOCHS = ProtocolDefaults.EPOCHS;

    /** Measured wall time per run of the default demo on the reference machine. */
    static final String DEFAULT_MINUTES = "1 minute";

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    /** Creates the command; picocli fills its fields. */
    public DemoCommand() {}


    @Override
    public Integer call() {
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        ProgressReporter progress = ProgressReporter.forConsole();
        Trainer trainer = Trainer.create(data, TrainOptions.of(common.epochs(), common.seed()), progress);
        List<RunResult> results = new ArrayList<>();
        for (RunSpec run : DemoRuns.all()) {
            results.add(trainer.train(run, session.outDir()));
        }
        DemoShrink.Outcome shrink = DemoShrink.run(results.get(0), data, common.seed(), session.outDir(), progress);
        results.add(shrink.run());
        session.finish(data, results, List.of(shrink.summary()));
        return TopiaryCli.EXIT_OK;
    }
}
