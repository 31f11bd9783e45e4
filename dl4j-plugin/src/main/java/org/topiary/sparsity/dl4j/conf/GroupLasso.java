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
 * Group lasso over the output neurons of a dense layer or the filters of a convolution, applied
 * as a subgradient before the updater (Yuan and Lin 2006; Wen et al. 2016, "Learning structured
 * sparsity in deep neural networks"):
 *
 * <pre>
 *   score  = λ(i, e) · Σ_g sqrt(p) · ‖w_g‖₂                 p = elements per group
 *   g_w   += λ(i, e) · sqrt(p) · w_g / ‖w_g‖₂   (0 where ‖w_g‖₂ = 0; ApplyStep.BEFORE_UPDATER)
 * </pre>
 *
 * <p>The {@code sqrt(p)} group weight (see {@link GroupLassoPenalty}) lets one λ serve layers of
 * different fan-in. Groups shrink together but, as with any subgradient method, do not reach
 * exactly zero; {@link ProximalGroupLasso} does.
 *
 * <p><b>Layout.</b> DL4J hands {@code apply} a flat rank-1 slice of the parameter buffer and
 * {@code score} the shaped param, and tells neither which layer it belongs to. So each instance
 * knows its tensor through {@link ParamGroups} (shape, flattening order, group axis) and belongs
 * in the weight list of that one layer:
 *
 * <pre>{@code
 * new DenseLayer.Builder().nIn(784).nOut(300)
 *     .regularization(List.of(GroupLasso.outputNeurons(1e-4, 784, 300)))
 * // or, after build() when setInputType inferred nIn:
 * BaseLayer conv = (BaseLayer) conf.getConf(0).getLayer();
 * conv.setRegularization(List.of(GroupLasso.forLayer(1e-4, conv)));
 * }</pre>
 *
 * <p>JSON: {@code {"@class": "org.topiary.sparsity.dl4j.conf.GroupLasso", "groupAxis": 1,
 * "lambda": {"@class": "org.nd4j.linalg.schedule.FixedSchedule", "value": 1.0E-4}, "order": "f",
 * "shape": [784, 300]}}
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class GroupLasso extends GroupRegularization {
    /** 2: the fields moved to the shared base classes (a version-1 stream fails instead of reading nulls). */
    private static final long serialVersionUID = 2L;

    @JsonCreator
    private GroupLasso(
            @JsonProperty("lambda") ISchedule lambda,
            @JsonProperty("shape") long[] shape,
            @JsonProperty("order") char order,
            @JsonProperty("groupAxis") int groupAxis) {
        super(lambda, shape, order, groupAxis);
    }

    /** Group lasso with coefficient {@code lambda} over {@code groups}. */
    public static GroupLasso of(ISchedule lambda, ParamGroups groups) {
        Checks.notNull("groups", groups);
        return new GroupLasso(lambda, groups.shape(), groups.order(), groups.groupAxis());
    }

    /** Group lasso with a constant {@code lambda >= 0} over {@code groups}. */
    public static GroupLasso of(double lambda, ParamGroups groups) {
        return of(Coefficients.constant("lambda", lambda), groups);
    }

    /** Over the output neurons (columns) of a dense {@code W [nIn, nOut]}. */
    public static GroupLasso outputNeurons(double lambda, long nIn, long nOut) {
        return of(lambda, ParamGroups.outputNeurons(nIn, nOut));
    }

    /** Over the filters of a 2-D convolution {@code W [nOut, nIn, kH, kW]}. */
    public static GroupLasso filters(double lambda, long nOut, long nIn, long kH, long kW) {
        return of(lambda, ParamGroups.filters(nOut, nIn, kH, kW));
    }

    /** Over the output units of {@code layer} (see {@link LayerGroups#outputUnits}). */
    public static GroupLasso forLayer(double lambda, Layer layer) {
        return of(lambda, LayerGroups.outputUnits(layer));
    }

    /** Over the output units of {@code layer}, with a scheduled coefficient. */
    public static GroupLasso forLayer(ISchedule lambda, Layer layer) {
        return of(lambda, LayerGroups.outputUnits(layer));
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        INDArray w = shaped(param);
        double l = lambdaAt(iteration, epoch);
        if (l == 0.0) {
            return;
        }
        GroupedParams.add(groups(), GroupLassoPenalty.subgradient(w, groups()).muli(l), gradView);
    }

    @Override
    GroupLasso withSchedule(ISchedule lambda) {
        return of(lambda, groups());
    }
}
