package org.topiary.sparsity.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Arrays4j;

/** Assertions on masks and sparse tensors, shared with the other modules' tests (test-jar). */
public final class MaskAssertions {
    private MaskAssertions() {}

    /** Number of pruned ({@code false}) entries of a BOOL mask. */
    public static long pruned(INDArray mask) {
        return mask.length() - Arrays4j.countNonZero(mask);
    }

    /** Number of exact zeros of a tensor. */
    public static long zeros(INDArray tensor) {
        return tensor.length() - Arrays4j.countNonZero(tensor);
    }

    /** The tensor's fraction of exact zeros is {@code expected} within {@code tolElements}. */
    public static void assertSparsity(double expected, INDArray tensor, long tolElements) {
        long want = Math.round(expected * tensor.length());
        assertThat(zeros(tensor))
                .as("exact zeros of a tensor of %d elements at sparsity %.4f", tensor.length(), expected)
                .isBetween(want - tolElements, want + tolElements);
    }

    /** Every position pruned in {@code mask} holds exactly 0.0 in {@code tensor}. */
    public static void assertZeroWherePruned(INDArray tensor, INDArray mask) {
        float[] w = Arrays4j.toFloatC(tensor);
        boolean[] kept = Arrays4j.toBooleanC(mask, mask.length());
        long bad = 0;
        for (int i = 0; i < w.length; i++) {
            if (!kept[i] && w[i] != 0f) {
                bad++;
            }
        }
        assertThat(bad).as("pruned positions that are not exactly 0.0").isZero();
    }

    /** Everything pruned in {@code earlier} is pruned in {@code later} too. */
    public static void assertMonotone(INDArray earlier, INDArray later) {
        boolean[] a = Arrays4j.toBooleanC(earlier, earlier.length());
        boolean[] b = Arrays4j.toBooleanC(later, later.length());
        long revived = 0;
        for (int i = 0; i < a.length; i++) {
            if (!a[i] && b[i]) {
                revived++;
            }
        }
        assertThat(revived).as("entries pruned earlier that came back").isZero();
    }
}
