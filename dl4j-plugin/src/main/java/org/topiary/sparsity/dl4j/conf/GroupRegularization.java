package org.topiary.sparsity.dl4j.conf;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.dl4j.internal.GroupedParams;
import org.topiary.sparsity.regularize.GroupLassoPenalty;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * What the two group-lasso regularizers share: the coefficient schedule and the one tensor's
 * groups (stored in JSON as {@code lambda}, {@code shape}, {@code order}, {@code groupAxis}), the
 * penalty {@code λ(i, e) · Σ_g sqrt(p)·‖w_g‖₂} as the score, and value equality. Subclasses add
 * when and how the penalty acts ({@link GroupLasso}: subgradient before the updater; {@link
 * ProximalGroupLasso}: block soft-threshold after it) and their static factories.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class GroupRegularization implements Regularization {
    private static final long serialVersionUID = 1L;

    @JsonProperty("lambda")
    private final ISchedule lambda;

    @JsonProperty("shape")
    private final long[] shape;

    @JsonProperty("order")
    private final char order;

    @JsonProperty("groupAxis")
    private final int groupAxis;

    private final ParamGroups groups;

    GroupRegularization(ISchedule lambda, long[] shape, char order, int groupAxis) {
        this.lambda = Coefficients.check("lambda", lambda);
        this.groups = ParamGroups.of(shape, order, groupAxis);
        this.shape = groups.shape();
        this.order = order;
        this.groupAxis = groupAxis;
    }

    /** The coefficient's schedule. */
    public final ISchedule lambda() {
        return lambda;
    }

    /** The groups. */
    public final ParamGroups groups() {
        return groups;
    }

    /** A copy with its own schedule instance (what {@link #clone()} returns). */
    abstract GroupRegularization copy(ISchedule lambda, long[] shape, char order, int groupAxis);

    /** {@code λ(iteration, epoch)}; errors name this class. */
    final double lambdaAt(int iteration, int epoch) {
        return Coefficients.at(lambda, iteration, epoch, name());
    }

    /** {@code flat} (a slice DL4J hands over) viewed in the tensor's shape; errors name this class. */
    final INDArray shaped(INDArray flat) {
        return GroupedParams.shaped(groups, flat, name());
    }

    @Override
    public final double score(INDArray param, int iteration, int epoch) {
        INDArray w = shaped(param);
        double l = lambdaAt(iteration, epoch);
        return l == 0.0 ? 0.0 : l * GroupLassoPenalty.value(w, groups);
    }

    @Override
    public final Regularization clone() {
        return copy(lambda.clone(), shape, order, groupAxis);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && ((GroupRegularization) o).lambda.equals(lambda)
                && ((GroupRegularization) o).groups.equals(groups);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(name(), lambda, groups);
    }

    @Override
    public final String toString() {
        return name() + "{lambda=" + lambda + ", groups=" + groups + "}";
    }

    private String name() {
        return getClass().getSimpleName();
    }
}
