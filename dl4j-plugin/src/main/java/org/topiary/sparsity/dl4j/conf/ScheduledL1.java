package org.topiary.sparsity.dl4j.conf;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.regularize.L1Penalty;

/**
 * L1 regularization with a scheduled coefficient, applied as a subgradient before the updater:
 *
 * <pre>
 *   score  = λ(i, e) · ‖w‖₁
 *   g     += λ(i, e) · sign(w)        (ApplyStep.BEFORE_UPDATER: w −= updater(g + λ·sign(w)))
 * </pre>
 *
 * <p>where {@code λ(i, e)} is an ND4J {@link ISchedule} evaluated at DL4J's iteration {@code i}
 * (updates done before this one) and epoch {@code e}, e.g. a {@link PiecewiseLinearSchedule}
 * warm-up ramp. {@code g} is the minibatch-mean gradient, so λ is per example like DL4J's own
 * {@code L1Regularization}, which this class matches for a constant λ; what it adds is
 * validation, a schedule type that survives JSON with {@code equals}, and the same conventions
 * as {@link ProximalL1}.
 *
 * <p>Like every subgradient L1 it shrinks weights towards zero but does not make them exactly
 * zero (under Adam they hover around it); use {@link ProximalL1} for exact zeros.
 *
 * <pre>{@code
 * new DenseLayer.Builder().nIn(784).nOut(300)
 *     .regularization(List.of(ScheduledL1.of(PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0, 1e-4, 0, 469))))
 * }</pre>
 *
 * <p>JSON: {@code {"@class": "org.topiary.sparsity.dl4j.conf.ScheduledL1", "lambda": {"@class":
 * "org.nd4j.linalg.schedule.FixedSchedule", "value": 1.0E-4}}}
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class ScheduledL1 extends PenaltyRegularization {
    /** 2: the fields moved to the shared base classes (a version-1 stream fails instead of reading nulls). */
    private static final long serialVersionUID = 2L;

    @JsonCreator
    private ScheduledL1(@JsonProperty("lambda") ISchedule lambda) {
        super(lambda);
    }

    /** A constant coefficient {@code lambda >= 0}. */
    public static ScheduledL1 of(double lambda) {
        return new ScheduledL1(Coefficients.constant("lambda", lambda));
    }

    /** A scheduled coefficient; every value must be {@code >= 0} (checked when used). */
    public static ScheduledL1 of(ISchedule lambda) {
        return new ScheduledL1(lambda);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        double l = lambdaAt(iteration, epoch);
        if (l == 0.0) {
            return;
        }
        gradView.addi(Transforms.sign(param, true).muli(l).reshape(gradView.shape()));
    }

    @Override
    double penalty(INDArray param) {
        return L1Penalty.value(param);
    }

    @Override
    ScheduledL1 withSchedule(ISchedule lambda) {
        return new ScheduledL1(lambda);
    }
}
