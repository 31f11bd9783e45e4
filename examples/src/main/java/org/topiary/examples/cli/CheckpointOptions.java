package org.topiary.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.persist.ResumableRun;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --checkpoint-dir DIR [--resume] [--checkpoint-every N] [--keep-checkpoints K]} for a
 * training command such as {@code topiary prune}: mix it in with {@code @Mixin CheckpointOptions
 * checkpoints;} and start the run with {@link #start(Supplier, PruningConfig, Consumer)}.
 *
 * <pre>{@code
 * Optional<ResumableRun> run = checkpoints.start(() -> buildNet(seed), config, p -> log.info("checkpoint {}", p));
 * MultiLayerNetwork net = run.map(r -> (MultiLayerNetwork) r.model()).orElseGet(...);  // no --checkpoint-dir
 * long skip = run.map(r -> r.positionInEpoch(batchesPerEpoch)).orElse(0L);          // batches already done
 * }</pre>
 *
 * Without {@code --checkpoint-dir} nothing is set up ({@link Optional#empty()}); the command
 * attaches its own {@code PruningListener}.
 */
public final class CheckpointOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write checkpoints (model, updater and pruning state) into DIR; a fresh run needs an empty DIR.")
    private Path dir;

    @Option(names = "--resume",
            description = "Continue from the latest valid checkpoint in --checkpoint-dir (fresh start if it has none).")
    private boolean resume;

    private long every = 500;
    private int keep = 3;

    /** Creates the options; picocli fills them. */
    public CheckpointOptions() {}

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints (>= 1). Default: 500.")
    void setEvery(long value) {
        if (value < 1) {
            throw new ParameterException(mixee.commandLine(), "--checkpoint-every must be >= 1, found " + value);
        }
        every = value;
    }

    @Option(names = "--keep-checkpoints", paramLabel = "K", description = "Checkpoints to keep (>= 1). Default: 3.")
    void setKeep(int value) {
        if (value < 1) {
            throw new ParameterException(mixee.commandLine(), "--keep-checkpoints must be >= 1, found " + value);
        }
        keep = value;
    }

    /** The checkpoint folder, if given. */
    public Optional<Path> directory() {
        return Optional.ofNullable(dir);
    }

    public boolean resume() {
        return resume;
    }

    /**
     * Sets up the run when {@code --checkpoint-dir} is given: restores the latest checkpoint
     * ({@code --resume}) or builds a fresh model, attaches divergence guard, pruning listener and
     * checkpointer in that order.
     *
     * @throws ParameterException for {@code --resume} without {@code --checkpoint-dir}
     */
    public Optional<ResumableRun> start(Supplier<? extends Model> freshModel, PruningConfig config, Consumer<java.nio.file.Path> onSaved)
            throws IOException {
        if (dir == null) {
            if (resume) {
                throw new ParameterException(mixee.commandLine(), "--resume needs --checkpoint-dir DIR (the folder of the run to continue)");
            }
            return Optional.empty();
        }
        ResumableRun.Builder b = ResumableRun.builder(dir).optResume(resume).optEveryIterations(every).optKeepLast(keep);
        if (onSaved != null) {
            b.optOnSaved(onSaved);
        }
        return Optional.of(b.start(freshModel, config));
    }
}
