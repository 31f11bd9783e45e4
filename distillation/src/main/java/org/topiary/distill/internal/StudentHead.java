package org.topiary.distill.internal;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.topiary.distill.conf.KdLoss;

/**
 * Switches a student's output layer between its classification form (SOFTMAX + MCXENT or
 * NEGATIVELOGLIKELIHOOD) and the KD form (IDENTITY + {@link KdLoss}), in place: the layer
 * configuration object is shared with the running layer, which reads activation and loss at every
 * call, so params, updater state, iteration count and listeners stay as they are.
 */
public final class StudentHead {
    private final OutputHead head;
    private final IActivation originalActivation;
    private final ILossFunction originalLoss;
    private final boolean builtInKdForm;

    private StudentHead(OutputHead head, boolean builtInKdForm) {
        this.head = head;
        this.originalActivation = head.activation();
        this.originalLoss = head.loss();
        this.builtInKdForm = builtInKdForm;
    }

    /**
     * @throws IllegalArgumentException unless the output layer is a softmax classifier or already
     *     in the KD form
     */
    public static StudentHead of(Model student) {
        return of(OutputHead.of(student, "student"));
    }

    /** The head of the output layer {@code output} of a graph with several outputs. */
    public static StudentHead of(org.deeplearning4j.nn.graph.ComputationGraph graph, String output) {
        return of(OutputHead.ofGraphOutput(graph, output, "student"));
    }

    private static StudentHead of(OutputHead h) {
        IActivation act = h.activation();
        ILossFunction loss = h.loss();
        if (act instanceof ActivationIdentity && loss instanceof KdLoss) {
            return new StudentHead(h, true);
        }
        if (act instanceof ActivationSoftmax && loss instanceof LossMCXENT) {
            return new StudentHead(h, false);
        }
        throw new IllegalArgumentException(
                "the student's output " + h.describe() + " has activation " + act + " and loss " + loss
                        + "; distillation needs a softmax classifier (activation SOFTMAX with loss MCXENT or"
                        + " NEGATIVELOGLIKELIHOOD), which the trainer switches to the KD form, or the KD form"
                        + " itself (activation IDENTITY with KdLoss)");
    }

    public OutputHead head() {
        return head;
    }

    /** Output width of the student. */
    public long width() {
        return head.width();
    }

    /** IDENTITY activation and {@code loss} (named after the layer). */
    public void toKdForm(KdLoss loss) {
        head.setActivation(new ActivationIdentity());
        head.setLoss(loss.withLayerName(head.name()));
    }

    /**
     * The classification head: the original activation and loss, or SOFTMAX + MCXENT if the
     * student was built in the KD form.
     */
    public void toSoftmaxForm() {
        if (builtInKdForm) {
            head.setActivation(new ActivationSoftmax());
            head.setLoss(new LossMCXENT());
        } else {
            head.setActivation(originalActivation);
            head.setLoss(originalLoss);
        }
    }
}
