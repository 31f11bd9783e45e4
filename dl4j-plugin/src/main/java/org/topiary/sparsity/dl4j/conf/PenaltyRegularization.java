package org.topiary.sparsity.dl4j.conf;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.dl4j.internal.Coefficients;

/**
 * What every sparsity regularizer of this package shares: a coefficient schedule {@code λ(i, e)}
 * (stored in JSON as {@code lambda}), the score {@code λ(i, e) · P(w)} for the subclass's penalty
 * {@code P} (0 while {@code λ = 0}), a deep {@link #clone()}, and value equality over the class,
 * the schedule and the subclass's {@link #settings()}. Subclasses say when and how the penalty
 * acts ({@link #applyStep()}, {@link #apply}) and keep their own static factories.
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class PenaltyRegularization implements Regularization {
    private static final long serialVersionUID = 1L;

    @JsonProperty("lambda")
    private final ISchedule lambda;

    PenaltyRegularization(ISchedule lambda) {
        this.lambda = Coefficients.check("lambda", lambda);
    }

    /** The coefficient's schedule. */
    public final ISchedule lambda() {
        return lambda;
    }

    /** {@code λ(iteration, epoch)}; a negative or non-finite value fails naming this class. */
    final double lambdaAt(int iteration, int epoch) {
        return Coefficients.at(lambda, iteration, epoch, name());
    }

    /** The penalty {@code P(w)} of the parameter DL4J passes to {@link #score}, before {@code λ}. */
    abstract double penalty(INDArray param);

    /** A copy of this regularizer with {@code lambda} in place of its schedule. */
    abstract PenaltyRegularization withSchedule(ISchedule lambda);

    /** What else, besides the class and the schedule, makes two instances equal ({@code null}: nothing). */
    Object settings() {
        return null;
    }

    @Override
    public final double score(INDArray param, int iteration, int epoch) {
        double l = lambdaAt(iteration, epoch);
        return l == 0.0 ? 0.0 : l * penalty(param);
    }

    @Override
    public final Regularization clone() {
        return withSchedule(lambda.clone());
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && ((PenaltyRegularization) o).lambda.equals(lambda)
                && Objects.equals(((PenaltyRegularization) o).settings(), settings());
    }

    @Override
    public final int hashCode() {
        return Objects.hash(name(), lambda, settings());
    }

    @Override
    public String toString() {
        return name() + "{lambda=" + lambda + "}";
    }

    /** The simple class name, used in messages. */
    final String name() {
        return getClass().getSimpleName();
    }
}
