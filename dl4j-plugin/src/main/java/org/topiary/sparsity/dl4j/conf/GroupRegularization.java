package org.topiary.sparsity.dl4j.conf;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.dl4j.internal.GroupedParams;
import org.topiary.sparsity.regularize.GroupLassoPenalty;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * What the two group-lasso regularizers share beyond {@link PenaltyRegularization}: the one
 * tensor's groups (stored in JSON as {@code shape}, {@code order}, {@code groupAxis}) and the
 * penalty {@code Σ_g sqrt(p)·‖w_g‖₂}. Subclasses add when and how the penalty acts ({@link GroupLasso}: subgradient before the updater; {@link
 * ProximalGroupLasso}: block soft-threshold after it) and their static factories.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class GroupRegularization extends PenaltyRegularization {
    private static final long serialVersionUID = 1L;

    @JsonProperty("shape")
    private final long[] shape;

    @JsonProperty("order")
    private final char order;

    @JsonProperty("groupAxis")
    private final int groupAxis;

    private final ParamGroups groups;

    GroupRegularization(ISchedule lambda, long[] shape, char order, int groupAxis) {
        super(lambda);
        this.groups = ParamGroups.of(shape, order, groupAxis);
        this.shape = groups.shape();
        this.order = order;
        this.groupAxis = groupAxis;
    }

    /** The groups. */
    public final ParamGroups groups() {
        return groups;
    }

    /** {@code flat} (a slice DL4J hands over) viewed in the tensor's shape; errors name this class. */
    final INDArray shaped(INDArray flat) {
        return GroupedParams.shaped(groups, flat, name());
    }

    @Override
    final double penalty(INDArray param) {
        return GroupLassoPenalty.value(shaped(param), groups);
    }

    @Override
    final Object settings() {
        return groups;
    }

    @Override
    public final String toString() {
        return name() + "{lambda=" + lambda() + ", groups=" + groups + "}";
    }
}
