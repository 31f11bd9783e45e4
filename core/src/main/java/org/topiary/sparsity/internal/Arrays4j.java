package org.topiary.sparsity.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between INDArrays and Java arrays in C (row-major) element order. */
public final class Arrays4j {
    private Arrays4j() {}

    /** The elements of {@code a} in C order as floats (a copy). */
    public static float[] toFloatC(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        return f.dup('c').data().asFloat();
    }

    /** A BOOL mask as booleans in C order; {@code null} means "nothing pruned". */
    public static boolean[] toBooleanC(INDArray mask, long length) {
        boolean[] kept = new boolean[Math.toIntExact(length)];
        if (mask == null) {
            java.util.Arrays.fill(kept, true);
            return kept;
        }
        float[] v = toFloatC(mask);
        for (int i = 0; i < kept.length; i++) {
            kept[i] = v[i] != 0f;
        }
        return kept;
    }

    /**
     * The pruned entries ({@code false} in a BOOL mask) as booleans in C order, or {@code null}
     * when {@code mask} is null (nothing pruned).
     */
    public static boolean[] prunedC(INDArray mask) {
        if (mask == null) {
            return null;
        }
        float[] v = toFloatC(mask);
        boolean[] pruned = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            pruned[i] = v[i] == 0f;
        }
        return pruned;
    }

    /** A BOOL array in C order with the given shape. */
    public static INDArray boolMask(boolean[] kept, long[] shape) {
        return Nd4j.create(kept, shape.clone(), DataType.BOOL);
    }

    /** Number of elements that are not exactly zero (for BOOL: number of {@code true}). */
    public static long countNonZero(INDArray a) {
        if (a.dataType() == DataType.BOOL) {
            return a.castTo(DataType.INT).sumNumber().longValue();
        }
        return Nd4j.getExecutioner().exec(new CountNonZero(a)).getLong(0);
    }
}
