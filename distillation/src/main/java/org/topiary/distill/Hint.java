package org.topiary.distill;

import org.topiary.sparsity.internal.Checks;

/**
 * One feature-distillation ("hint", Romero et al. 2015, FitNets, arXiv:1412.6550) pair: the
 * student layer's activations {@code a_s [batch, w_s]} are pulled towards the teacher layer's
 * activations {@code a_t [batch, w_t]} by the extra loss
 *
 * <pre>
 * L_hint = weight · (1 / w_t) · Σ_j (P(a_s)_j − a_t,j)²      (batch mean, like every DL4J loss)
 * </pre>
 *
 * where {@code P} is the identity when {@code w_s == w_t} and otherwise a learned linear projection
 * {@code P(a) = a·W + b} ({@code [w_s, w_t]}), trained with the student and discarded afterwards.
 * Both layers must produce 2-D activations {@code [batch, width]} (dense layers, or anything after
 * a global pooling / flattening layer).
 *
 * @param studentLayer a layer name of the student ComputationGraph
 * @param teacherLayer a layer name of the teacher (a ComputationGraph vertex name, or a
 *     MultiLayerNetwork layer name or index)
 * @param weight {@code β > 0}, the weight of this term next to the KD loss
 */
public record Hint(String studentLayer, String teacherLayer, double weight) {
    public Hint {
        Checks.notNull("studentLayer", studentLayer);
        Checks.notNull("teacherLayer", teacherLayer);
        Checks.positive("weight", weight);
    }

    /** A hint of weight 1. */
    public static Hint of(String studentLayer, String teacherLayer) {
        return new Hint(studentLayer, teacherLayer, 1.0);
    }
}
