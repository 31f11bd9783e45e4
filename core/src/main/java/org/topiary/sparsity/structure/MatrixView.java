package org.topiary.sparsity.structure;

import java.util.Arrays;
import org.topiary.sparsity.internal.Checks;

/**
 * A weight tensor seen as an {@code [outputs, inputs]} matrix, for N:M and block masks: entry
 * {@code (o, i)} is the weight from input {@code i} to output {@code o}. The tensor's C-order
 * elements are either {@code [outputs, inputs]} ({@code outputsFirst}, e.g. a convolution {@code
 * [nOut, nIn, kH, kW]} whose input dimension per output is {@code nIn·kH·kW}) or {@code [inputs,
 * outputs]} (a dense {@code W [nIn, nOut]}).
 *
 * @param tensorId the tensor's id, used in error messages
 * @param shape the tensor's shape
 * @param outputs number of outputs
 * @param inputs number of inputs per output (the "input dimension")
 * @param outputsFirst whether C order lists all inputs of output 0 first
 */
public record MatrixView(String tensorId, long[] shape, long outputs, long inputs, boolean outputsFirst) {
    public MatrixView {
        Checks.notNull("tensorId", tensorId);
        shape = Checks.notNull("shape", shape).clone();
        Checks.isTrue(outputs >= 1 && inputs >= 1, "outputs and inputs of '%s' must be >= 1, found %d, %d", tensorId, outputs, inputs);
        Checks.isTrue(
                GroupLayout.product(shape) == outputs * inputs,
                "'%s' of shape %s does not have %d outputs x %d inputs",
                tensorId,
                Arrays.toString(shape),
                outputs,
                inputs);
    }

    /** A dense weight {@code [nIn, nOut]}. */
    public static MatrixView inputsByOutputs(String tensorId, long[] shape) {
        Checks.isTrue(shape.length == 2, "'%s' must be a matrix [nIn, nOut], found shape %s", tensorId, Arrays.toString(shape));
        return new MatrixView(tensorId, shape, shape[1], shape[0], false);
    }

    /** A convolution weight {@code [nOut, nIn, k...]}: outputs on axis 0, everything else inputs. */
    public static MatrixView outputsByInputs(String tensorId, long[] shape) {
        Checks.isTrue(shape.length >= 2, "'%s' must have rank >= 2, found shape %s", tensorId, Arrays.toString(shape));
        return new MatrixView(tensorId, shape, shape[0], GroupLayout.product(shape) / shape[0], true);
    }

    /** C-order flat index of entry {@code (output, input)}. */
    public int index(long output, long input) {
        return (int) (outputsFirst ? output * inputs + input : input * outputs + output);
    }

    /** Number of elements. */
    public long length() {
        return outputs * inputs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatrixView v
                && v.tensorId.equals(tensorId)
                && Arrays.equals(v.shape, shape)
                && v.outputs == outputs
                && v.inputs == inputs
                && v.outputsFirst == outputsFirst;
    }

    @Override
    public int hashCode() {
        return tensorId.hashCode() * 31 + Arrays.hashCode(shape) + (outputsFirst ? 1 : 0);
    }

    @Override
    public String toString() {
        return tensorId + " as [" + outputs + " outputs, " + inputs + " inputs]";
    }
}
