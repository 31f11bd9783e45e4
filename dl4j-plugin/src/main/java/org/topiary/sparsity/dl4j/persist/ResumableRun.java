package org.topiary.sparsity.dl4j.persist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.json.SparsityJson;

/**
 * A pruning run with checkpoints that can be resumed: what a command line such as {@code topiary
 * prune --checkpoint-dir DIR [--resume]} needs, in one call.
 *
 * <pre>{@code
 * ResumableRun run = ResumableRun.builder(dir).optResume(resume).optEveryIterations(500).build()
 *         .start(() -> buildFreshNet(), config);
 * Model net = run.model();                        // fresh, or restored from the latest checkpoint
 * long skip = run.positionInEpoch(batchesPerEpoch); // batches of the current epoch already done
 * ... fit the remaining batches of epoch run.startEpoch(), then the remaining epochs ...
 * }</pre>
 *
 * <p>The model gets three listeners, in this order: a {@link DivergenceGuard}, the {@link
 * PruningListener} (new, or resumed with the saved masks and history) and a {@link Checkpointer}.
 * Rules that keep runs apart: without {@code resume}, a folder that already holds checkpoints is
 * an error (nothing is overwritten); with {@code resume}, an empty folder starts a fresh run, a
 * folder whose checkpoints are all damaged is an error, and the checkpoint's pruning configuration
 * must equal the one given. The caller feeds data: to continue the same batch order, skip {@link
 * #positionInEpoch(long)} batches of epoch {@link #startEpoch()} (or make the batch a function of
 * the step).
 */
public final class ResumableRun {
    private final Model model;
    private final PruningListener pruning;
    private final Checkpointer checkpointer;
    private final Path resumedFrom;

    private ResumableRun(Model model, PruningListener pruning, Checkpointer checkpointer, Path resumedFrom) {
        this.model = model;
        this.pruning = pruning;
        this.checkpointer = checkpointer;
        this.resumedFrom = resumedFrom;
    }

    public static Builder builder(Path checkpointDir) {
        return new Builder(checkpointDir);
    }

    /** The model to train, with its listeners attached. */
    public Model model() {
        return model;
    }

    public PruningListener pruning() {
        return pruning;
    }

    public Checkpointer checkpointer() {
        return checkpointer;
    }

    /** The checkpoint the run was resumed from; empty for a fresh run. */
    public Optional<Path> resumedFrom() {
        return Optional.ofNullable(resumedFrom);
    }

    /** Completed steps (optimizer updates) at the start; the next batch completes step + 1. */
    public long startStep() {
        return Dl4jModels.iterationCount(model);
    }

    /** Completed epochs at the start; training continues in this epoch (0-based). */
    public long startEpoch() {
        return Dl4jModels.epochCount(model);
    }

    /**
     * Batches of epoch {@link #startEpoch()} already trained, for a run whose epochs all have
     * {@code batchesPerEpoch} batches: {@code startStep - startEpoch * batchesPerEpoch}.
     */
    public long positionInEpoch(long batchesPerEpoch) {
        Checks.positive("batchesPerEpoch", batchesPerEpoch);
        long pos = startStep() - startEpoch() * batchesPerEpoch;
        Checks.state(
                pos >= 0 && pos <= batchesPerEpoch,
                "the checkpoint is at step %d of epoch %d, which does not fit %d batches per epoch; resume with the batch size and data it was trained with",
                startStep(), startEpoch(), batchesPerEpoch);
        return pos;
    }

    /** Options; the folder is required, the checkpoint frequency defaults to every 500 steps. */
    public static final class Builder {
        private final Path dir;
        private final Checkpointer.Builder checkpoints;
        private boolean frequencySet;
        private boolean resume;
        private PrunableParams registry = PrunableParams.defaults();

        private Builder(Path dir) {
            this.dir = Checks.notNull("checkpointDir", dir);
            this.checkpoints = Checkpointer.builder(dir);
        }

        /** Continue from the latest valid checkpoint in the folder if there is one. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** A checkpoint every {@code n} steps (default: every 500 when no frequency is set). */
        public Builder optEveryIterations(long n) {
            checkpoints.optEveryIterations(n);
            frequencySet = true;
            return this;
        }

        /** A checkpoint at the end of every {@code n}-th epoch. */
        public Builder optEveryEpochs(long n) {
            checkpoints.optEveryEpochs(n);
            frequencySet = true;
            return this;
        }

        /** How many checkpoints to keep (default 3). */
        public Builder optKeepLast(int k) {
            checkpoints.optKeepLast(k);
            return this;
        }

        /** The registry of prunable params for a fresh or resumed pruning listener. */
        public Builder optRegistry(PrunableParams registry) {
            this.registry = Checks.notNull("registry", registry);
            return this;
        }

        /** Called with the path of every checkpoint written (for logging). */
        public Builder optOnSaved(Consumer<Path> onSaved) {
            checkpoints.optOnSaved(onSaved);
            return this;
        }

        /**
         * Restores the latest checkpoint (with {@code resume}) or builds a fresh model with {@code
         * freshModel}, and attaches the listeners.
         *
         * @param config the pruning configuration; with {@code resume} it may be null to use the
         *     checkpoint's
         */
        public ResumableRun start(Supplier<? extends Model> freshModel, PruningConfig config) throws IOException {
            Checks.notNull("freshModel", freshModel);
            if (!frequencySet) {
                checkpoints.optEveryIterations(500);
            }
            List<Path> existing = Checkpoints.list(dir);
            if (!resume && !existing.isEmpty()) {
                throw new java.nio.file.FileAlreadyExistsException(
                        dir.toString(), null,
                        "already holds " + existing.size() + " checkpoint(s), the latest " + existing.get(0).getFileName()
                                + "; resume them (--resume / optResume(true)) or choose an empty checkpoint folder");
            }
            Model model;
            PruningListener pruning;
            Path from = null;
            if (resume && !existing.isEmpty()) {
                from = Checkpoints.latest(dir).orElseThrow(() -> new CorruptModelFileException(
                        dir, "none of its " + existing.size() + " checkpoint(s) is intact; restore one from a backup or start in an empty folder"));
                RestoredModel r = PrunedModels.restore(from);
                PruningConfig saved = r.state().orElseThrow(() -> new CorruptModelFileException(
                        r.file(), "has no pruning state; it was not written by a pruning run")).config();
                if (config != null && !config.equals(saved)) {
                    throw new IllegalArgumentException(
                            "the pruning configuration differs from the one checkpoint " + r.file() + " was written with;"
                                    + " resume with the same configuration or start in an empty folder. Saved: "
                                    + SparsityJson.toTree(saved) + " Given: " + SparsityJson.toTree(config));
                }
                model = r.model();
                model.addListeners(DivergenceGuard.create());
                pruning = r.resumePruning(registry);
            } else {
                Checks.notNull("config", config);
                model = Checks.notNull("the model of freshModel", freshModel.get());
                model.addListeners(DivergenceGuard.create());
                pruning = PruningListener.create(config, registry).attachTo(model);
            }
            Checkpointer checkpointer = checkpoints.optPruning(pruning).build();
            model.addListeners(checkpointer);
            return new ResumableRun(model, pruning, checkpointer, from);
        }
    }
}
