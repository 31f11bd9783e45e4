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

    /**
     * The soft-threshold with one threshold per element, {@code sign(vᵢ) · max(|vᵢ| − tᵢ, 0)}, as a
     * new array of {@code v}'s shape. This is the proximal step of a diagonally preconditioned
     * method (ProxGen, Yun, Lozano and Yang, NeurIPS 2021): with per-element step sizes {@code sᵢ}
     * the proximal point of {@code λ‖w‖₁} in the metric {@code diag(1/s)} is this soft-threshold
     * with {@code tᵢ = sᵢ · λ}.
     *
     * @param t thresholds of {@code v}'s shape, or a vector of its length read in {@code v}'s memory
     *     order; every element {@code >= 0} (not checked per element: a negative threshold would
     *     grow {@code |vᵢ|})
     * @throws IllegalArgumentException if the lengths differ
     */
    public static INDArray prox(INDArray v, INDArray t) {
        Checks.notNull("t", t);
        Checks.isTrue(t.length() == v.length(),
                "t must have one threshold per element of v (%d), found %d", v.length(), t.length());
        INDArray shrunk = Transforms.abs(v, true).subi(t.reshape(v.ordering(), v.shape()));
        Transforms.relu(shrunk, false);
        return shrunk.muli(Transforms.sign(v, true)).addi(0.0);
    }
}
