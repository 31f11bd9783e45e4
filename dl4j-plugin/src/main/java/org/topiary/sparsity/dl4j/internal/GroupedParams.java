package org.topiary.sparsity.dl4j.internal;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * Moves a param between the forms DL4J hands a regularizer (a rank-1 slice of the flat buffer in
 * {@code apply}, the shaped param in {@code score}) and the shaped form the group math uses.
 */
public final class GroupedParams {
    private GroupedParams() {}

    /** {@code a} with the groups' shape; fails with a message that says where the regularizer belongs. */
    public static INDArray shaped(ParamGroups groups, INDArray a, String owner) {
        if (!groups.fits(a)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s was made for a weight param of shape %s (%d elements) but received one of shape %s"
                                    + " (%d elements). A group regularizer belongs to the weights of the one layer it"
                                    + " was made for: set it with that layer's .regularization(...) (e.g. %s.forLayer(lambda,"
                                    + " layerConf)), not with NeuralNetConfiguration.Builder.regularization(...) nor any"
                                    + " .regularizationBias(...).",
                            owner,
                            Arrays.toString(groups.shape()),
                            groups.length(),
                            Arrays.toString(a.shape()),
                            a.length(),
                            owner));
        }
        return groups.shaped(a);
    }

    /** Writes {@code value} (with the groups' shape) into {@code target}, shaped or flat. */
    public static void assign(ParamGroups groups, INDArray value, INDArray target) {
        if (Arrays.equals(target.shape(), groups.shape())) {
            target.assign(value);
        } else {
            target.assign(groups.flatten(value).reshape(target.shape()));
        }
    }

    /** Adds {@code value} (with the groups' shape) to {@code target}, shaped or flat. */
    public static void add(ParamGroups groups, INDArray value, INDArray target) {
        if (Arrays.equals(target.shape(), groups.shape())) {
            target.addi(value);
        } else {
            target.addi(groups.flatten(value).reshape(target.shape()));
        }
    }
}
