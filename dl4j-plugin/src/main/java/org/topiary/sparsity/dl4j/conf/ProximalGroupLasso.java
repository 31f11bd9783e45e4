package org.topiary.sparsity.dl4j.conf;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.dl4j.LayerGroups;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.dl4j.internal.GroupedParams;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.GroupLassoPenalty;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * Group lasso by a proximal block soft-threshold after the updater, which makes whole output
 * neurons or filters exactly 0.0 so that structured surgery can remove them.
 *
 * <p>DL4J calls a {@code POST_UPDATER} regularizer with the weights {@code w} and the final
 * update {@code u}; with {@code v = w − u} this class sets {@code u := w − w_new} where, per
 * group {@code g} of {@code p} elements,
 *
 * <pre>
 *   w_new_g = v_g · max(0, 1 − t·sqrt(p) / ‖v_g‖₂),     t = lr · λ(i, e)
 * </pre>
 *
 * <p>A group whose tentative norm {@code ‖v_g‖₂} is at most {@code t·sqrt(p)} becomes exactly zero
 * as a whole; every other group is scaled by a factor in (0, 1) and never gets a zero from the
 * operator. The threshold, its meaning under Sgd (exact proximal gradient on {@code loss + λ
 * Σ_g sqrt(p)‖w_g‖₂}) and its caveat under Adam (a heuristic, λ becomes a cut on the normalised
 * group step) are as for {@link ProximalL1}; {@link #score} reports the {@link GroupLasso}
 * penalty. Put it last in the layer's regularization list. Under Adam, {@link
 * org.topiary.sparsity.dl4j.AdaptiveProximalGroupLasso} thresholds in Adam's own metric instead.
 *
 * <p>Layout and placement are as for {@link GroupLasso}: one instance per layer, built from the
 * layer's shape.
 *
 * <p>JSON: {@code {"@class": "org.topiary.sparsity.dl4j.conf.ProximalGroupLasso", "groupAxis": 0,
 * "lambda": {"@class": "org.nd4j.linalg.schedule.FixedSchedule", "value": 0.02}, "order": "c",
 * "shape": [16, 3, 5, 5]}}
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ProximalGroupLasso extends GroupRegularization {
    /** 2: the fields moved to the shared base classes (a version-1 stream fails instead of reading nulls). */
    private static final long serialVersionUID = 2L;

    @JsonCreator
    private ProximalGroupLasso(
            @JsonProperty("lambda") ISchedule lambda,
            @JsonProperty("shape") long[] shape,
            @JsonProperty("order") char order,
            @JsonProperty("groupAxis") int groupAxis) {
        super(lambda, shape, order, groupAxis);
    }

    /** Proximal group lasso with coefficient {@code lambda} over {@code groups}. */
    public static ProximalGroupLasso of(ISchedule lambda, ParamGroups groups) {
        Checks.notNull("groups", groups);
        return new ProximalGroupLasso(lambda, groups.shape(), groups.order(), groups.groupAxis());
    }

    /** Proximal group lasso with a constant {@code lambda >= 0} over {@code groups}. */
    public static ProximalGroupLasso of(double lambda, ParamGroups groups) {
        return of(Coefficients.constant("lambda", lambda), groups);
    }

    /** Over the output neurons (columns) of a dense {@code W [nIn, nOut]}. */
    public static ProximalGroupLasso outputNeurons(double lambda, long nIn, long nOut) {
        return of(lambda, ParamGroups.outputNeurons(nIn, nOut));
    }

    /** Over the filters of a 2-D convolution {@code W [nOut, nIn, kH, kW]}. */
    public static ProximalGroupLasso filters(double lambda, long nOut, long nIn, long kH, long kW) {
        return of(lambda, ParamGroups.filters(nOut, nIn, kH, kW));
    }

    /** Over the output units of {@code layer} (see {@link LayerGroups#outputUnits}). */
    public static ProximalGroupLasso forLayer(double lambda, Layer layer) {
        return of(lambda, LayerGroups.outputUnits(layer));
    }

    /** Over the output units of {@code layer}, with a scheduled coefficient. */
    public static ProximalGroupLasso forLayer(ISchedule lambda, Layer layer) {
        return of(lambda, LayerGroups.outputUnits(layer));
    }

    /** The threshold per unit of group weight, {@code t = lr · λ(iteration, epoch)}. */
    public double threshold(double lr, int iteration, int epoch) {
        return lr * lambdaAt(iteration, epoch);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray update, double lr, int iteration, int epoch) {
        INDArray w = shaped(param);
        INDArray u = shaped(update);
        double t = threshold(lr, iteration, epoch);
        if (!(t > 0.0)) {
            return;
        }
        INDArray next = GroupLassoPenalty.prox(w.sub(u), groups(), t);
        GroupedParams.assign(groups(), w.sub(next), update);
    }

    @Override
    ProximalGroupLasso withSchedule(ISchedule lambda) {
        return of(lambda, groups());
    }
}
