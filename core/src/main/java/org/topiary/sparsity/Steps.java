package org.topiary.sparsity;

import org.topiary.sparsity.internal.Checks;

/**
 * Conversions between epochs and steps (completed optimizer updates).
 *
 * <p>With {@code n} examples and batch size {@code b}, one epoch is {@code ceil(n / b)} steps (the
 * last partial batch counts), e.g. 60,000 / 128 = 469. The end of epoch {@code e} (1-based) is
 * step {@code e * stepsPerEpoch}.
 */
public final class Steps {
    private Steps() {}

    /** Steps in one epoch of {@code examples} examples at {@code batchSize}. */
    public static long perEpoch(long examples, int batchSize) {
        Checks.positive("examples", examples);
        Checks.positive("batchSize", batchSize);
        return (examples + batchSize - 1) / batchSize;
    }

    /** The step at the end of {@code epoch} epochs ({@code epoch >= 0}). */
    public static long atEndOfEpoch(long epoch, long stepsPerEpoch) {
        Checks.nonNegative("epoch", epoch);
        Checks.positive("stepsPerEpoch", stepsPerEpoch);
        return Math.multiplyExact(epoch, stepsPerEpoch);
    }
}
