package org.topiary.distill;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.distill.internal.OutputHead;

/**
 * Classification metrics of a student on hard labels only, in either head form.
 *
 * <p>DL4J's {@code net.evaluate(...)} rejects an IDENTITY output (the KD form) and {@link
 * Evaluation} rejects labels wider than the output ({@code [hard | teacher logits]}). This helper
 * runs the model in inference mode, applies softmax when the output layer's activation is
 * IDENTITY (logits), takes the first {@code C} label columns when the labels are {@code [batch,
 * 2C]} (and all of them when they are {@code [batch, C]}), and feeds DL4J's {@link Evaluation}, so
 * accuracy, F1, the confusion matrix and {@code stats()} all refer to the hard labels.
 *
 * <pre>{@code
 * double acc = HardLabelEvaluation.evaluate(student, testIter).accuracy();
 * }</pre>
 */
public final class HardLabelEvaluation {
    private HardLabelEvaluation() {}

    /**
     * Evaluates {@code model} (one softmax or identity output) on every batch of {@code data}
     * (reset first if exhausted).
     *
     * @throws IllegalArgumentException if labels are neither {@code C} nor {@code 2C} wide
     */
    public static Evaluation evaluate(Model model, DataSetIterator data) {
        OutputHead head = OutputHead.of(model, "model");
        IActivation act = head.activation();
        boolean logits = act instanceof ActivationIdentity;
        if (!logits && !(act instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException(
                    "the model's output " + head.describe() + " has activation " + act
                            + "; hard-label evaluation needs a SOFTMAX or IDENTITY (logits) output");
        }
        if (!data.hasNext() && data.resetSupported()) {
            data.reset();
        }
        Evaluation eval = new Evaluation();
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray out =
                    model instanceof MultiLayerNetwork n
                            ? n.output(batch.getFeatures(), false)
                            : ((ComputationGraph) model).outputSingle(false, batch.getFeatures());
            INDArray probs = logits ? Transforms.softmax(out, true) : out;
            eval.eval(hardPart(batch.getLabels(), out.size(1), head), probs);
        }
        return eval;
    }

    /**
     * Evaluates a teacher's logits (softmax applied) on the hard labels of {@code data}: the
     * accuracy of an online, cached, top-k or averaged teacher as training will see it.
     */
    public static Evaluation evaluate(TeacherSource teacher, DataSetIterator data) {
        if (!data.hasNext() && data.resetSupported()) {
            data.reset();
        }
        Evaluation eval = new Evaluation();
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray z = teacher.logits(batch.getFeatures());
            INDArray labels = batch.getLabels();
            if (labels.rank() != 2 || (labels.size(1) != z.size(1) && labels.size(1) != 2 * z.size(1))) {
                throw new IllegalArgumentException(
                        "labels have shape " + Arrays.toString(labels.shape()) + " but the teacher (" + teacher
                                + ") gives logits of shape " + Arrays.toString(z.shape()));
            }
            INDArray hard = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, z.size(1)));
            eval.eval(hard, Transforms.softmax(z.castTo(hard.dataType()), true));
        }
        return eval;
    }

    /** The first {@code classes} columns of {@code [batch, 2·classes]} labels, or the labels themselves. */
    static INDArray hardPart(INDArray labels, long classes, OutputHead head) {
        if (labels.rank() == 2 && labels.size(1) == classes) {
            return labels;
        }
        if (labels.rank() == 2 && labels.size(1) == 2 * classes) {
            return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, classes));
        }
        throw new IllegalArgumentException(
                "labels have shape " + Arrays.toString(labels.shape()) + " but the output " + head.describe()
                        + " has " + classes + " classes: expected [batch, " + classes + "] or [batch, " + 2 * classes
                        + "] (hard | teacher logits)");
    }
}
