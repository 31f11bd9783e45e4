package org.topiary.sparsity.regularize;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.internal.Checks;

/**
 * The group-lasso penalty of Yuan and Lin (2006, "Model selection and estimation in regression
 * with grouped variables"), with their group-size weighting:
 *
 * <pre>
 *   R(w) = Σ_g sqrt(p) · ‖w_g‖₂        p = elements per group ({@link ParamGroups#groupSize()})
 * </pre>
 *
 * <p>The {@code sqrt(p)} weight makes one coefficient λ comparable across tensors whose groups
 * differ in size (784 inputs per neuron in one layer, 300 in the next): for i.i.d. weights of
 * equal scale, {@code ‖w_g‖₂} grows like {@code sqrt(p)} too, so {@code λ·sqrt(p)·‖w_g‖} per
 * element is of the same order in every layer. Groups are given by {@link ParamGroups}
 * (neurons of a dense layer, filters of a convolution).
 *
 * <p>Gradient (a subgradient, 0 at {@code ‖w_g‖ = 0}): {@code ∂R/∂w_g = sqrt(p) · w_g /
 * ‖w_g‖₂}.
 *
 * <p>Proximal operator, the block soft-threshold (Combettes and Wajs 2005; used for structured
 * sparsity in deep nets by Alvarez and Salzmann 2016, Wen et al. 2016 use the subgradient form):
 *
 * <pre>
 *   prox_{t·R}(v)_g = v_g · max(0, 1 − t·sqrt(p) / ‖v_g‖₂)
 * </pre>
 *
 * <p>A group whose norm is at most {@code t·sqrt(p)} becomes exactly zero as a whole; every other
 * group is only scaled down, none of its elements is set to zero by the operator.
 */
public final class GroupLassoPenalty {
    private GroupLassoPenalty() {}

    /** The weight {@code sqrt(p)} of every group of {@code groups}. */
    public static double groupWeight(ParamGroups groups) {
        return Math.sqrt(groups.groupSize());
    }

    /** {@code Σ_g sqrt(p) · ‖w_g‖₂} for {@code w} shaped or flattened as {@code groups} says. */
    public static double value(INDArray w, ParamGroups groups) {
        return groupWeight(groups) * groups.norms(w).sumNumber().doubleValue();
    }

    /**
     * The subgradient {@code sqrt(p) · w_g / ‖w_g‖₂} (0 for groups of norm 0), as a new array with
     * {@link ParamGroups#shape()}.
     */
    public static INDArray subgradient(INDArray w, ParamGroups groups) {
        double[] norms = groups.norms(w).toDoubleVector();
        double weight = groupWeight(groups);
        double[] factors = new double[norms.length];
        for (int g = 0; g < norms.length; g++) {
            factors[g] = norms[g] > 0 ? weight / norms[g] : 0.0;
        }
        return groups.scaleGroups(w, Nd4j.createFromArray(factors));
    }

    /**
     * The block soft-threshold {@code v_g · max(0, 1 − t·sqrt(p)/‖v_g‖₂)} as a new array with
     * {@link ParamGroups#shape()}; groups of norm {@code <= t·sqrt(p)} are exactly zero.
     *
     * @param t threshold per unit of group weight, {@code >= 0}
     */
    public static INDArray prox(INDArray v, ParamGroups groups, double t) {
        Checks.nonNegative("t", t);
        double[] norms = groups.norms(v).toDoubleVector();
        double tau = t * groupWeight(groups);
        double[] factors = new double[norms.length];
        for (int g = 0; g < norms.length; g++) {
            factors[g] = norms[g] > tau ? 1.0 - tau / norms[g] : 0.0;
        }
        // + 0.0 turns the -0.0 of negative entries of zeroed groups into +0.0
        return groups.scaleGroups(v, Nd4j.createFromArray(factors)).addi(0.0);
    }

    /**
     * The block soft-threshold with one weight per group (the adaptive group lasso of Wang and
     * Leng 2008, "A note on adaptive group lasso", after Zou's 2006 adaptive lasso), as a new
     * array with {@link ParamGroups#shape()}:
     *
     * <pre>
     *   x_g = v_g · max(0, 1 − t·c_g·sqrt(p) / ‖v_g‖₂)
     * </pre>
     *
     * the proximal point of {@code t · Σ_g c_g·sqrt(p)·‖x_g‖₂}. {@code c_g = +∞} zeroes the group;
     * all {@code c_g = 1} is {@link #prox(INDArray, ParamGroups, double)}.
     *
     * @param t threshold per unit of group weight, {@code >= 0}
     * @param groupWeights {@code c_g >= 0}, one per group (dimensionless)
     */
    public static INDArray prox(INDArray v, ParamGroups groups, double t, double[] groupWeights) {
        Checks.nonNegative("t", t);
        Checks.notNull("groupWeights", groupWeights);
        Checks.isTrue(groupWeights.length == groups.groupCount(),
                "groupWeights must have one value per group (%d), found %d", groups.groupCount(), groupWeights.length);
        double[] norms = groups.norms(v).toDoubleVector();
        double tau = t * groupWeight(groups);
        double[] factors = new double[norms.length];
        for (int g = 0; g < norms.length; g++) {
            Checks.isTrue(groupWeights[g] >= 0, "groupWeights[%d] must be >= 0, found %s", g, groupWeights[g]);
            double tg = tau * groupWeights[g];
            factors[g] = norms[g] > tg ? 1.0 - tg / norms[g] : 0.0;
        }
        return groups.scaleGroups(v, Nd4j.createFromArray(factors)).addi(0.0);
    }

    /**
     * The block soft-threshold in the metric of a diagonal preconditioner (per-element step sizes
     * {@code sᵢ}, e.g. Adam's {@code lr/(sqrt(v̂ᵢ)+ε)}), as a new array with {@link
     * ParamGroups#shape()}:
     *
     * <pre>
     *   x_g = v_g · max(0, 1 − λ·sqrt(p) / ‖v_g / s_g‖₂)
     * </pre>
     *
     * <p>The proximal point {@code argmin_x Σᵢ (xᵢ − vᵢ)²/(2sᵢ) + λ·sqrt(p)·‖x_g‖₂} is exactly zero
     * iff {@code ‖v_g / s_g‖₂ <= λ·sqrt(p)} (the optimality condition at 0), which this operator
     * reproduces exactly. For a group whose steps are all equal ({@code s_g = s}) the formula is the
     * exact proximal point, {@link #prox(INDArray, ParamGroups, double)} with {@code t = s·λ}; for
     * unequal steps the surviving group is scaled uniformly, an approximation of the exact point
     * (which needs a one-dimensional root search per group) that keeps every element's sign and
     * shrinks the group's norm (ProxGen, Yun, Lozano and Yang, NeurIPS 2021, solve these
     * subproblems approximately as well).
     *
     * @param steps per-element step sizes {@code sᵢ > 0}, shaped or flattened as {@code groups} says
     * @param lambda coefficient per unit of group weight, {@code >= 0}
     */
    public static INDArray prox(INDArray v, ParamGroups groups, INDArray steps, double lambda) {
        Checks.nonNegative("lambda", lambda);
        Checks.notNull("steps", steps);
        INDArray scaled = groups.shaped(v).div(groups.shaped(steps).castTo(v.dataType()));
        double[] norms = groups.norms(scaled).toDoubleVector();
        double tau = lambda * groupWeight(groups);
        double[] factors = new double[norms.length];
        for (int g = 0; g < norms.length; g++) {
            factors[g] = norms[g] > tau ? 1.0 - tau / norms[g] : 0.0;
        }
        return groups.scaleGroups(v, Nd4j.createFromArray(factors)).addi(0.0);
    }
}
