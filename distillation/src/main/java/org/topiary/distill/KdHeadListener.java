package org.topiary.distill;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.topiary.distill.conf.KdLoss;
import org.topiary.distill.internal.StudentHead;
import org.topiary.sparsity.internal.Checks;

/**
 * Distillation inside a training loop you do not control: switches the student's output layer to
 * the KD form (IDENTITY + {@link KdLoss}) when an epoch starts and back to its softmax form when
 * it ends, so code that evaluates between epochs (a trainer's per-epoch accuracy, DL4J's {@code
 * EarlyStoppingTrainer} with a {@code ClassificationScoreCalculator}) sees an ordinary classifier.
 * Feed the loop a {@link KdDataSetIterator}.
 *
 * <pre>{@code
 * student.addListeners(KdHeadListener.of(student, KdLoss.of(2, 0.5)));
 * for (int e = 0; e < 10; e++) {
 *     student.fit(KdDataSetIterator.wrap(train, teacher));    // onEpochStart: KD form
 *     log(student.evaluate(test).accuracy());                 // onEpochEnd: softmax form again
 * }
 * }</pre>
 *
 * <p><b>Hooks.</b> {@code onEpochStart} and {@code onEpochEnd}, which DL4J fires at the start and
 * end of {@code fit(DataSetIterator)} (and {@code EarlyStoppingTrainer} around its epochs). {@code
 * fit(DataSet)} fires neither: use {@link DistillationTrainer} or call {@link #toKdForm()} and
 * {@link #toSoftmaxForm()} yourself. If training throws mid-epoch the head stays in the KD form
 * until {@link #toSoftmaxForm()}. One listener serves one model.
 */
public final class KdHeadListener extends BaseTrainingListener {
    private final Model student;
    private final StudentHead head;
    private final KdLoss loss;

    private KdHeadListener(Model student, KdLoss loss) {
        this.student = Checks.notNull("student", student);
        this.loss = Checks.notNull("loss", loss);
        this.head = StudentHead.of(student);
    }

    /**
     * A listener for {@code student} (softmax + MCXENT/NLL head, or already in the KD form).
     *
     * @throws IllegalArgumentException if the head is neither
     */
    public static KdHeadListener of(Model student, KdLoss loss) {
        return new KdHeadListener(student, loss);
    }

    /** The loss used in the KD form (named after the output layer when applied). */
    public KdLoss loss() {
        return loss;
    }

    /** Switches to IDENTITY + KdLoss now. */
    public void toKdForm() {
        head.toKdForm(loss);
    }

    /** Switches to the softmax form now. */
    public void toSoftmaxForm() {
        head.toSoftmaxForm();
    }

    @Override
    public void onEpochStart(Model model) {
        check(model);
        toKdForm();
    }

    @Override
    public void onEpochEnd(Model model) {
        check(model);
        toSoftmaxForm();
    }

    private void check(Model model) {
        if (model != student) {
            throw new IllegalStateException(
                    "this KdHeadListener belongs to another model; create one per model (a clone or a restored"
                            + " copy is another model)");
        }
    }
}
