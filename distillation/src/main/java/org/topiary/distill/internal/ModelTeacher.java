package org.topiary.distill.internal;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.distill.TeacherSource;

/**
 * A teacher network run on every batch in inference mode; see {@link TeacherSource} for how
 * logits are recovered from a softmax output.
 */
public final class ModelTeacher implements TeacherSource {
    private final Model model;
    private final String description;
    private final boolean softmax;
    private final long numClasses;

    private ModelTeacher(Model model, String description, boolean softmax, long numClasses) {
        this.model = model;
        this.description = description;
        this.softmax = softmax;
        this.numClasses = numClasses;
    }

    /**
     * @param description how to name this teacher in messages
     * @throws IllegalArgumentException unless the output activation is softmax or identity
     */
    public static ModelTeacher of(Model model, String description) {
        OutputHead head = OutputHead.of(model, description);
        IActivation act = head.activation();
        if (!(act instanceof ActivationSoftmax) && !(act instanceof ActivationIdentity)) {
            throw new IllegalArgumentException(
                    "the " + description + "'s output " + head.describe() + " has activation " + act
                            + "; a teacher needs a SOFTMAX output (logits are recovered as log p) or an"
                            + " IDENTITY output (logits)");
        }
        return new ModelTeacher(model, description, act instanceof ActivationSoftmax, head.width());
    }

    /** The wrapped network. */
    public Model model() {
        return model;
    }

    @Override
    public long numClasses() {
        return numClasses;
    }

    @Override
    public INDArray logits(INDArray features) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray out =
                    model instanceof MultiLayerNetwork n
                            ? n.output(features, false)
                            : ((ComputationGraph) model).outputSingle(false, features);
            if (out.rank() != 2) {
                throw new IllegalArgumentException(
                        "the " + description + " gives outputs of shape " + Arrays.toString(out.shape())
                                + "; teachers must give [batch, classes]");
            }
            if (!softmax) {
                return out;
            }
            double floor = out.dataType() == DataType.DOUBLE ? Double.MIN_NORMAL : Float.MIN_NORMAL;
            return Transforms.log(Transforms.max(out, floor, false), false);
        }
    }

    @Override
    public String toString() {
        return "online " + description;
    }
}
