package org.topiary.sparsity.dl4j.conf;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.regularize.L1Penalty;

/**
 * L1 regularization by a proximal step after the updater, which makes weights exactly 0.0.
 *
 * <p>DL4J calls a {@code POST_UPDATER} regularizer with the weights {@code w} and the final update
 * {@code u} (the optimizer will do {@code w −= u}). This class replaces the update so that
 *
 * <pre>
 *   w_new = prox(w − u) = sign(w − u) · max(|w − u| − t, 0),   t = lr · λ(i, e)
 *   i.e.  u := w − prox(w − u)
 * </pre>
 *
 * <p>Every weight whose tentative value {@code |w − u|} is at most {@code t} becomes exactly 0.0
 * (the subtraction {@code w − (w − 0)} is exact in floating point) and stays 0.0 for as long as
 * its tentative step {@code |u|} stays at most {@code t}; stronger gradient pressure revives it,
 * as the proximal method prescribes.
 *
 * <p><b>Threshold.</b> {@code t = lr · λ}, where {@code lr} is the learning rate DL4J passes,
 * i.e. the updater's current rate (after its own schedule; 1.0 for updaters without one) and
 * {@code λ} the scheduled coefficient at iteration {@code i} and epoch {@code e}. With {@code
 * Sgd} this is exactly proximal gradient descent (ISTA) on {@code loss + λ‖w‖₁}, λ in the units
 * of the minibatch-mean gradient, and {@link #score} reports that objective's penalty.
 *
 * @apiNote Under Adam, AMSGrad, RmsProp and other adaptive updaters the per-element step is
 *     {@code lr / (sqrt(v̂ᵢ) + ε)}, not {@code lr}, and that step is not visible through ND4J's
 *     {@code Regularization} SPI. The threshold {@code lr·λ} is then a heuristic: Adam's update
 *     has magnitude about {@code lr · |m̂ᵢ| / sqrt(v̂ᵢ)} (≤ ~lr), so a weight at zero stays there
 *     while its normalised gradient {@code |m̂ᵢ| / sqrt(v̂ᵢ)} is below λ. λ then works as a
 *     dimensionless signal-to-noise cut, independent of the loss scale: near convergence the mean
 *     gradient is small, so every weight is pulled to zero unless its gradient keeps pushing back,
 *     and useful values are small (on LeNet-300-100 with Adam 1e-3, λ = 0.02 gave 8% zeros and
 *     λ = 0.2 gave 88%, see docs/benchmarks.md). The same λ under Sgd means something else.
 *     {@link org.topiary.sparsity.dl4j.AdaptiveProximalL1} (a listener, since it must read
 *     Adam's state) uses Adam's per-element step instead.
 * @implNote Put this regularizer last in a layer's list: a later {@code POST_UPDATER} term (such
 *     as {@code WeightDecay}) would add to the update after the prox and break the exact zeros.
 *     Exactness also needs ordinary training: a {@code GradientsAccumulator} (shared-gradient
 *     ParallelWrapper, Spark) encodes updates and loses it.
 *
 *     <p>JSON: {@code {"@class": "org.topiary.sparsity.dl4j.conf.ProximalL1", "lambda":
 *     {"@class": "org.nd4j.linalg.schedule.FixedSchedule", "value": 0.05}}}
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ProximalL1 extends PenaltyRegularization {
    /** 2: the fields moved to the shared base classes (a version-1 stream fails instead of reading nulls). */
    private static final long serialVersionUID = 2L;

    @JsonCreator
    private ProximalL1(@JsonProperty("lambda") ISchedule lambda) {
        super(lambda);
    }

    /** A constant coefficient {@code lambda >= 0}. */
    public static ProximalL1 of(double lambda) {
        return new ProximalL1(Coefficients.constant("lambda", lambda));
    }

    /** A scheduled coefficient; every value must be {@code >= 0} (checked when used). */
    public static ProximalL1 of(ISchedule lambda) {
        return new ProximalL1(lambda);
    }

    /** The threshold {@code t = lr · λ(iteration, epoch)} used by {@link #apply}. */
    public double threshold(double lr, int iteration, int epoch) {
        return lr * lambdaAt(iteration, epoch);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray update, double lr, int iteration, int epoch) {
        double t = threshold(lr, iteration, epoch);
        if (!(t > 0.0)) {
            return;
        }
        INDArray w = param.reshape(update.shape());
        INDArray next = L1Penalty.prox(w.sub(update), t);
        update.assign(w.sub(next));
    }

    @Override
    double penalty(INDArray param) {
        return L1Penalty.value(param);
    }

    @Override
    ProximalL1 withSchedule(ISchedule lambda) {
        return new ProximalL1(lambda);
    }
}
