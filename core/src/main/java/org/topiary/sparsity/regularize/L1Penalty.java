package org.topiary.sparsity.regularize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.sparsity.internal.Checks;

/**
 * The L1 penalty {@code R(w) = ‖w‖₁ = Σᵢ |wᵢ|}: its value, a subgradient and its proximal
 * operator. Framework-free math on ND4J arrays; the DL4J regularizers in {@code
 * org.topiary.sparsity.dl4j.conf} multiply by their coefficient λ.
 *
 * <p>Proximal operator (soft-thresholding; Donoho 1995, used in ISTA by Daubechies, Defrise and
 * De Mol 2004):
 *
 * <pre>
 *   prox_{t‖·‖₁}(v) = argmin_w ½‖w − v‖² + t‖w‖₁ = sign(v) · max(|v| − t, 0)
 * </pre>
 *
 * <p>Every element with {@code |vᵢ| <= t} becomes exactly {@code +0.0}.
 */
public final class L1Penalty {
    private L1Penalty() {}

    /** {@code ‖w‖₁}. */
    public static double value(INDArray w) {
        return w.norm1Number().doubleValue();
    }

    /** The subgradient {@code sign(w)}, with 0 at {@code wᵢ = 0} (a new array). */
    public static INDArray subgradient(INDArray w) {
        return Transforms.sign(w, true);
    }

    /**
     * The soft-threshold {@code sign(v) · max(|v| − t, 0)} as a new array of {@code v}'s shape.
     *
     * @param t threshold, {@code >= 0}
     */
    public static INDArray prox(INDArray v, double t) {
        Checks.nonNegative("t", t);
        INDArray shrunk = Transforms.abs(v, true).subi(t);
        Transforms.relu(shrunk, false);
        // + 0.0 turns the -0.0 of negative zeroed entries into +0.0
        return shrunk.muli(Transforms.sign(v, true)).addi(0.0);
    }
}
