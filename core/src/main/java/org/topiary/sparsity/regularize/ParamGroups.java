package org.topiary.sparsity.regularize;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;

/**
 * How a weight tensor splits into groups for structured sparsity: its {@code shape}, the element
 * {@code order} in which a flattened copy lists it ({@code 'c'} row-major or {@code 'f'}
 * column-major), and the {@code groupAxis}: group {@code g} is the slice {@code w[..., g, ...]}
 * at index {@code g} of that axis, so there are {@code shape[groupAxis]} groups of {@code
 * length / shape[groupAxis]} elements each.
 *
 * <table>
 *   <caption>Common layouts</caption>
 *   <tr><th>tensor</th><th>shape, order</th><th>group axis</th><th>a group is</th></tr>
 *   <tr><td>dense W</td><td>[nIn, nOut], 'f'</td><td>1</td><td>the incoming weights of one
 *       output neuron (a column): {@link #outputNeurons}</td></tr>
 *   <tr><td>dense W</td><td>[nIn, nOut], 'f'</td><td>0</td><td>the outgoing weights of one
 *       input (a row): {@link #inputs}</td></tr>
 *   <tr><td>2-D convolution W</td><td>[nOut, nIn, kH, kW], 'c'</td><td>0</td><td>one filter:
 *       {@link #filters}</td></tr>
 * </table>
 *
 * <p>The order matters only for flattened input: a training framework may hand a regularizer a
 * rank-1 slice of its flat parameter buffer (DL4J does), which {@link #shaped} reads back in
 * {@code order}. An array that already has {@link #shape()} is used as it is, whatever its memory
 * layout. Immutable.
 */
public final class ParamGroups implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] shape;
    private final char order;
    private final int groupAxis;
    private final long length;
    private final int[] reduceAxes;

    private ParamGroups(long[] shape, char order, int groupAxis) {
        Checks.notNull("shape", shape);
        Checks.isTrue(shape.length >= 1, "shape must have at least one dimension, found []");
        for (long d : shape) {
            Checks.isTrue(d > 0, "shape must have only positive dimensions, found %s", Arrays.toString(shape));
        }
        Checks.isTrue(
                order == 'c' || order == 'f',
                "order must be 'c' (row-major) or 'f' (column-major), found '%s'",
                order);
        Checks.isTrue(
                groupAxis >= 0 && groupAxis < shape.length,
                "groupAxis must be in [0, %d) for shape %s, found %d",
                shape.length,
                Arrays.toString(shape),
                groupAxis);
        this.shape = shape.clone();
        this.order = order;
        this.groupAxis = groupAxis;
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        this.length = n;
        this.reduceAxes = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != groupAxis) {
                reduceAxes[j++] = i;
            }
        }
    }

    /** Groups along {@code groupAxis} of a tensor of {@code shape} flattened in {@code order}. */
    public static ParamGroups of(long[] shape, char order, int groupAxis) {
        return new ParamGroups(shape, order, groupAxis);
    }

    /** One group per output neuron of a dense weight matrix {@code [nIn, nOut]} in 'f' order. */
    public static ParamGroups outputNeurons(long nIn, long nOut) {
        return new ParamGroups(new long[] {nIn, nOut}, 'f', 1);
    }

    /** One group per input of a dense weight matrix {@code [nIn, nOut]} in 'f' order (rows). */
    public static ParamGroups inputs(long nIn, long nOut) {
        return new ParamGroups(new long[] {nIn, nOut}, 'f', 0);
    }

    /** One group per filter of a 2-D convolution weight {@code [nOut, nIn, kH, kW]} in 'c' order. */
    public static ParamGroups filters(long nOut, long nIn, long kH, long kW) {
        return new ParamGroups(new long[] {nOut, nIn, kH, kW}, 'c', 0);
    }

    /** The tensor's shape (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** The order of a flattened copy: {@code 'c'} or {@code 'f'}. */
    public char order() {
        return order;
    }

    /** The axis whose indices are the groups. */
    public int groupAxis() {
        return groupAxis;
    }

    /** Number of elements of the tensor. */
    public long length() {
        return length;
    }

    /** Number of groups, {@code shape[groupAxis]}. */
    public long groupCount() {
        return shape[groupAxis];
    }

    /** Elements per group, {@code length / groupCount}. */
    public long groupSize() {
        return length / shape[groupAxis];
    }

    /** Whether {@code param} is this tensor, shaped or flattened (rank 1 or a vector). */
    public boolean fits(INDArray param) {
        if (param == null) {
            return false;
        }
        if (Arrays.equals(param.shape(), shape)) {
            return true;
        }
        return param.length() == length && (param.rank() == 1 || param.isVector());
    }

    /**
     * {@code param} with {@link #shape()}: the array itself if it is already shaped, otherwise a
     * flattened array read in {@link #order()} (a view where ND4J can make one, else a copy, so
     * never write through the result).
     *
     * @throws IllegalArgumentException if {@code param} is neither shaped nor flat of {@link
     *     #length()}
     */
    public INDArray shaped(INDArray param) {
        Checks.notNull("param", param);
        if (Arrays.equals(param.shape(), shape)) {
            return param;
        }
        if (!fits(param)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "param of shape %s does not match the groups' tensor: shape %s (%d elements) or"
                                    + " a flat array of %d elements expected",
                            Arrays.toString(param.shape()),
                            Arrays.toString(shape),
                            length,
                            length,
                            length));
        }
        return param.reshape(order, shape);
    }

    /** {@code shaped} (with {@link #shape()}) flattened in {@link #order()}: rank 1, a new array. */
    public INDArray flatten(INDArray shapedParam) {
        Checks.isTrue(
                Arrays.equals(shapedParam.shape(), shape),
                "shapedParam must have shape %s, found %s",
                Arrays.toString(shape),
                Arrays.toString(shapedParam.shape()));
        return shapedParam.dup(order).reshape(order, new long[] {length});
    }

    /** The L2 norm of every group, a rank-1 array of {@link #groupCount()} in the param's type. */
    public INDArray norms(INDArray param) {
        INDArray w = shaped(param);
        if (reduceAxes.length == 0) {
            return Transforms.abs(w, true);
        }
        return w.norm2(reduceAxes).reshape(groupCount());
    }

    /** A new shaped array: group {@code g} of {@code param} multiplied by {@code factors[g]}. */
    public INDArray scaleGroups(INDArray param, INDArray factors) {
        INDArray w = shaped(param);
        Checks.isTrue(
                factors.length() == groupCount(),
                "factors must have one value per group (%d), found %d",
                groupCount(),
                factors.length());
        INDArray f = factors.reshape(groupCount()).castTo(w.dataType());
        INDArray out = w.ulike();
        return Broadcast.mul(w, f, out, groupAxis);
    }

    /** Number of groups whose elements are all exactly zero. */
    public long zeroGroupCount(INDArray param) {
        INDArray w = shaped(param);
        INDArray maxAbs = reduceAxes.length == 0 ? Transforms.abs(w, true) : w.amax(reduceAxes);
        return maxAbs.length() - Arrays4j.countNonZero(maxAbs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamGroups p
                && p.order == order
                && p.groupAxis == groupAxis
                && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + order) + groupAxis;
    }

    @Override
    public String toString() {
        return "ParamGroups{shape=" + Arrays.toString(shape) + ", order=" + order + ", groupAxis=" + groupAxis + "}";
    }
}
