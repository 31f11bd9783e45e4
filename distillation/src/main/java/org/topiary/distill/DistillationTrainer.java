package org.topiary.distill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.topiary.distill.conf.KdLoss;
import org.topiary.distill.internal.HintGraph;
import org.topiary.distill.internal.OutputHead;
import org.topiary.distill.internal.StudentHead;
import org.topiary.sparsity.internal.Checks;

/**
 * Trains a student against a teacher with {@link KdLoss} (and optional {@link Hint feature
 * hints}), running any DL4J listeners, e.g. a {@code PruningListener} for prune + distill in one
 * loop.
 *
 * <pre>{@code
 * TeacherSource teacher = TeacherSource.cached(TeacherSource.online(cnn), data.train().iterator(1000));
 * MultiLayerNetwork student = ...;          // an ordinary softmax + MCXENT classifier
 * PruningListener pruning = PruningListener.attach(student, PruningConfig.gradual(0.9, 469, 3283, 100));
 * DistillationTrainer.builder(student, teacher)
 *         .optTemperature(4).optAlpha(0.5).optEpochs(10).optListeners(new ScoreIterationListener(100))
 *         .build()
 *         .fit(data.trainIterator(128, seed));
 * double acc = student.evaluate(data.testIterator(1000)).accuracy();   // softmax head again
 * }</pre>
 *
 * <p><b>What {@link #fit} does</b>:
 *
 * <ol>
 *   <li>switches the student's output layer, in place, from SOFTMAX + MCXENT (or
 *       NEGATIVELOGLIKELIHOOD) to IDENTITY + {@link KdLoss}: same params, updater state, iteration
 *       count and listeners. (A student built in the KD form is used as it is, with this trainer's
 *       loss.)
 *   <li>adds this trainer's listeners to the student's own (each once) for the duration of fit;
 *   <li>wraps the training iterator in a {@link KdDataSetIterator} (labels become {@code [hard |
 *       teacher logits]}) and calls the student's own {@code fit(iterator)} once per epoch, so DL4J
 *       fires every listener hook as usual, epoch hooks included;
 *   <li>finally, even after an exception, restores the softmax head (SOFTMAX + the original loss,
 *       or SOFTMAX + MCXENT for a student built in the KD form) and the listener list; the student
 *       is then usable for ordinary {@code output}, {@code evaluate} and {@code ModelSerializer}.
 * </ol>
 *
 * Softmax of the identity head's output is exactly the softmax head's output, so nothing changes
 * for inference. While fit runs, listeners that evaluate the student must use {@link
 * HardLabelEvaluation} (DL4J's {@code evaluate} rejects the KD form).
 *
 * <p><b>With hints</b> (ComputationGraph students only) the trainer builds a separate training
 * graph (see {@link Hint}) that holds copies of the student's layers plus one extra output per
 * hint, trains it with this trainer's listeners only (the student's own listeners are bound to the
 * student; pass unbound ones such as {@code PruningListener.create(config)}, and exclude the
 * {@code kdhint<i>} projection layers from pruning), and copies the trained params back into the
 * student. The student's updater state is not updated in this mode.
 *
 * <p>Defaults: {@code T = 4}, {@code α = 0.5}, 1 epoch, no listeners, no hints.
 *
 * @param <M> {@code MultiLayerNetwork} or {@code ComputationGraph}
 */
public final class DistillationTrainer<M extends Model> {
    private final M student;
    private final TeacherSource teacher;
    private final KdLoss loss;
    private final int epochs;
    private final List<TrainingListener> listeners;
    private final Model hintTeacher;
    private final List<Hint> hints;

    private DistillationTrainer(Builder<M> b) {
        this.student = b.student;
        this.teacher = b.teacher;
        this.loss = KdLoss.of(b.temperature, b.alpha);
        this.epochs = (int) Checks.positive("epochs", b.epochs);
        this.listeners = List.copyOf(b.listeners);
        this.hintTeacher = b.hintTeacher;
        this.hints = List.copyOf(b.hints);
        StudentHead head = StudentHead.of(student);
        long sw = head.width();
        long tw = teacher.numClasses();
        if (sw > 0 && tw > 0 && sw != tw) {
            throw new IllegalArgumentException(
                    "teacher logits are [batch, " + tw + "] (" + teacher + ") but the student's output "
                            + head.head().describe() + " is [batch, " + sw + "]: teacher and student must have the"
                            + " same number of classes");
        }
        if (!hints.isEmpty()) {
            HintGraph.validate(student, hintTeacher, hints);
        }
    }

    /**
     * A builder for training {@code student} against {@code teacher}.
     *
     * @param student a MultiLayerNetwork or ComputationGraph whose single output layer is a softmax
     *     classifier (or already in the KD form)
     * @param teacher the source of teacher logits
     */
    public static <M extends Model> Builder<M> builder(M student, TeacherSource teacher) {
        return new Builder<>(student, teacher);
    }

    /** The loss used during fit (the layer name is added when the head is converted). */
    public KdLoss loss() {
        return loss;
    }

    public int epochs() {
        return epochs;
    }

    /**
     * Trains the student for the configured epochs on {@code train} (one-hot hard labels {@code
     * [batch, C]}) and returns it, with its softmax head restored.
     */
    public M fit(DataSetIterator train) {
        Checks.notNull("train", train);
        return hints.isEmpty() ? fitPlain(train) : fitWithHints(train);
    }

    private M fitPlain(DataSetIterator train) {
        StudentHead head = StudentHead.of(student);
        List<TrainingListener> before = OutputHead.listeners(student);
        List<TrainingListener> all = new ArrayList<>(before);
        for (TrainingListener l : listeners) {
            if (all.stream().noneMatch(x -> x == l)) {
                all.add(l);
            }
        }
        DataSetIterator kd = KdDataSetIterator.wrap(train, teacher);
        head.toKdForm(loss);
        try {
            setListeners(student, all);
            for (int e = 0; e < epochs; e++) {
                if (student instanceof MultiLayerNetwork n) {
                    n.fit(kd);
                } else {
                    ((ComputationGraph) student).fit(kd);
                }
            }
        } finally {
            head.toSoftmaxForm();
            setListeners(student, before);
        }
        return student;
    }

    private M fitWithHints(DataSetIterator train) {
        HintGraph hg = HintGraph.build((ComputationGraph) student, hintTeacher, hints, loss);
        ComputationGraph graph = hg.graph();
        graph.setListeners(new ArrayList<>(listeners));
        MultiDataSetIterator it = hg.iterator(train, teacher);
        for (int e = 0; e < epochs; e++) {
            graph.fit(it);
        }
        hg.copyBack();
        return student;
    }

    private static void setListeners(Model m, Collection<TrainingListener> ls) {
        if (m instanceof MultiLayerNetwork n) {
            n.setListeners(ls);
        } else {
            ((ComputationGraph) m).setListeners(ls);
        }
    }

    /** Builder: {@code optX} for the optional settings; {@link #build()} validates. */
    public static final class Builder<M extends Model> {
        private final M student;
        private final TeacherSource teacher;
        private double temperature = 4.0;
        private double alpha = 0.5;
        private long epochs = 1;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Model hintTeacher;
        private final List<Hint> hints = new ArrayList<>();

        private Builder(M student, TeacherSource teacher) {
            this.student = Checks.notNull("student", student);
            this.teacher = Checks.notNull("teacher", teacher);
        }

        /** {@code T > 0}; default 4. */
        public Builder<M> optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Weight of the hard-label term, in [0, 1]; default 0.5. */
        public Builder<M> optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Epochs, {@code >= 1}; default 1. */
        public Builder<M> optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** DL4J listeners to run during fit, in addition to the student's own. */
        public Builder<M> optListeners(TrainingListener... listeners) {
            for (TrainingListener l : listeners) {
                this.listeners.add(Checks.notNull("listener", l));
            }
            return this;
        }

        /**
         * Feature distillation: pull student layers towards {@code teacher}'s layers (run online,
         * in inference mode). ComputationGraph students only; see {@link Hint}.
         */
        public Builder<M> optHints(Model teacher, Hint... hints) {
            this.hintTeacher = Checks.notNull("hint teacher", teacher);
            for (Hint h : hints) {
                this.hints.add(Checks.notNull("hint", h));
            }
            return this;
        }

        /** Validates (head form, class counts, hint layers) and builds. */
        public DistillationTrainer<M> build() {
            return new DistillationTrainer<>(this);
        }
    }
}
