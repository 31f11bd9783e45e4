package org.topiary.sparsity.dl4j.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.internal.Checks;

/**
 * Writes checkpoints during training: every {@code n} steps and/or every {@code m} epochs, keeping
 * the last {@code k}. Each checkpoint is a {@link PrunedModels} file ({@code
 * checkpoint-<step>.zip}: params, updater state, iteration and epoch counts, and the pruning
 * state), written atomically, so a crash during a save never leaves a broken checkpoint; {@link
 * Checkpoints#latest(Path)} finds the newest valid one.
 *
 * <pre>{@code
 * PruningListener pruning = PruningListener.attach(net, config);
 * net.addListeners(Checkpointer.builder(dir).optEveryIterations(500).optKeepLast(3).optPruning(pruning).build());
 * ...
 * RestoredModel r = PrunedModels.restore(Checkpoints.latest(dir).orElseThrow());
 * PruningListener resumed = r.resumePruning();   // carries on at step r.iteration() + 1
 * }</pre>
 *
 * <p><b>Hooks and timing.</b> {@code iterationDone(model, iteration, epoch)} runs after the update
 * of step {@code iteration + 1}, before DL4J increments its iteration count; the checkpoint is
 * written with the count {@code iteration + 1} so that a resumed model continues at the next step,
 * exactly as an uninterrupted run. {@code onEpochEnd} writes with the epoch count already advanced.
 * Add this listener <em>after</em> the {@link PruningListener} (checked: masks must be updated for
 * the step before they are saved) and after a {@link DivergenceGuard}. Before every write the score
 * and params are checked for NaN and infinity; a diverged model is never written, so the last
 * checkpoint stays intact. Parameter constraints, which DL4J applies after {@code iterationDone},
 * are not yet applied in the saved params.
 *
 * <p>Retention keeps the {@code k} checkpoints with the highest steps, always including the one
 * just written. One Checkpointer per folder; unfinished {@code .tmp} files of a crashed run are
 * removed when a Checkpointer is built.
 */
public final class Checkpointer extends BaseTrainingListener {
    private static final Pattern STALE_TMP = Pattern.compile("\\.checkpoint-\\d{10}\\.zip\\..*\\.tmp");

    private final Path dir;
    private final long everyIterations;
    private final long everyEpochs;
    private final int keepLast;
    private final PruningListener pruning;
    private final Consumer<Path> onSaved;
    private Path lastWritten;

    private Checkpointer(Builder b) {
        this.dir = b.dir;
        this.everyIterations = b.everyIterations;
        this.everyEpochs = b.everyEpochs;
        this.keepLast = b.keepLast;
        this.pruning = b.pruning;
        this.onSaved = b.onSaved;
    }

    /** A builder for checkpoints in {@code dir} (created if missing). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The checkpoint folder. */
    public Path directory() {
        return dir;
    }

    /** The last checkpoint this listener wrote. */
    public Optional<Path> lastWritten() {
        return Optional.ofNullable(lastWritten);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long step = iteration + 1L;
        if (everyIterations > 0 && step % everyIterations == 0) {
            save(model, step, Dl4jModels.epochCount(model));
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        long epochsDone = Dl4jModels.epochCount(model) + 1;
        if (everyEpochs > 0 && epochsDone % everyEpochs == 0) {
            save(model, Dl4jModels.iterationCount(model), epochsDone);
        }
    }

    /**
     * Writes a checkpoint of {@code model} now, outside training, at its current iteration count.
     */
    public Path saveNow(Model model) {
        return save(model, Dl4jModels.iterationCount(model), Dl4jModels.epochCount(model));
    }

    private Path save(Model model, long step, long epoch) {
        DivergenceGuard.check(model, step);
        PruningState state = null;
        if (pruning != null) {
            checkOrder(model);
            state = pruning.state();
        }
        Path file = dir.resolve(Checkpoints.fileName(step));
        try {
            PrunedModels.write(model, state, file, step, epoch);
            lastWritten = file;
            prune(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (onSaved != null) {
            onSaved.accept(file);
        }
        return file;
    }

    private void checkOrder(Model model) {
        List<TrainingListener> ls = Dl4jModels.listeners(model);
        int p = ls.indexOf(pruning);
        int me = ls.indexOf(this);
        Checks.state(
                p >= 0,
                "the PruningListener given to the Checkpointer is not a listener of this model; attach it with"
                        + " PruningListener.attach(model, config) or pruning.attachTo(model)");
        Checks.state(
                me < 0 || p < me,
                "the Checkpointer runs before the PruningListener, so it would save masks one step old; add the"
                        + " Checkpointer after the PruningListener (model.addListeners(pruning, checkpointer))");
    }

    private void prune(Path justWritten) throws IOException {
        List<Path> all = Checkpoints.list(dir);
        int kept = 1;
        for (Path p : all) {
            if (p.equals(justWritten)) {
                continue;
            }
            if (kept < keepLast) {
                kept++;
            } else {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Builder: the folder is required; at least one of the two frequencies must be set. */
    public static final class Builder {
        private final Path dir;
        private long everyIterations;
        private long everyEpochs;
        private int keepLast = 3;
        private PruningListener pruning;
        private Consumer<Path> onSaved;

        private Builder(Path dir) {
            this.dir = Checks.notNull("dir", dir);
        }

        /** A checkpoint every {@code n} steps (optimizer updates). */
        public Builder optEveryIterations(long n) {
            this.everyIterations = Checks.positive("everyIterations", n);
            return this;
        }

        /** A checkpoint at the end of every {@code n}-th epoch. */
        public Builder optEveryEpochs(long n) {
            this.everyEpochs = Checks.positive("everyEpochs", n);
            return this;
        }

        /** How many checkpoints to keep (default 3). */
        public Builder optKeepLast(int k) {
            this.keepLast = (int) Checks.positive("keepLast", k);
            return this;
        }

        /** Include this listener's pruning state in every checkpoint. */
        public Builder optPruning(PruningListener pruning) {
            this.pruning = Checks.notNull("pruning", pruning);
            return this;
        }

        /** Called with the path of every checkpoint written (for logging). */
        public Builder optOnSaved(Consumer<Path> onSaved) {
            this.onSaved = Checks.notNull("onSaved", onSaved);
            return this;
        }

        /**
         * Validates, creates the folder if missing, checks it is writable and removes unfinished
         * temporary files of a crashed run.
         */
        public Checkpointer build() throws IOException {
            Checks.isTrue(
                    everyIterations > 0 || everyEpochs > 0,
                    "set optEveryIterations(n) and/or optEveryEpochs(n): a Checkpointer without a frequency never saves");
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new java.nio.file.FileSystemException(dir.toString(), null, "is not a folder; give a checkpoint folder");
            }
            Files.createDirectories(dir);
            AtomicFiles.checkWritableTarget(dir.resolve(Checkpoints.fileName(0)));
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> STALE_TMP.matcher(p.getFileName().toString()).matches()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            return new Checkpointer(this);
        }
    }
}
