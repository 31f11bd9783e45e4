package org.topiary.sparsity.internal;

import java.util.Locale;

/**
 * Argument validation with one message format for the whole project: the field name, the rule and
 * the value found, e.g. {@code "finalSparsity must be in [0, 1), found 1.2"}.
 */
public final class Checks {
    private Checks() {}

    /** Requires {@code lo <= value < hi} and not NaN. */
    public static double inHalfOpenRange(String field, double value, double lo, double hi) {
        if (!(value >= lo && value < hi)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s must be in [%s, %s), found %s",
                            field,
                            fmt(lo),
                            fmt(hi),
                            fmt(value)));
        }
        return value;
    }

    /** Requires {@code lo <= value <= hi} and not NaN. */
    public static double inClosedRange(String field, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s must be in [%s, %s], found %s",
                            field,
                            fmt(lo),
                            fmt(hi),
                            fmt(value)));
        }
        return value;
    }

    /** Requires a finite value strictly greater than zero. */
    public static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s must be > 0 and finite, found %s", field, fmt(value)));
        }
        return value;
    }

    /** Requires {@code value > 0}. */
    public static long positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s must be > 0, found %d", field, value));
        }
        return value;
    }

    /** Requires {@code value >= 0}. */
    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s must be >= 0, found %d", field, value));
        }
        return value;
    }

    /** Requires a non-null reference. */
    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    /** Throws {@link IllegalArgumentException} with a formatted message unless {@code condition}. */
    public static void isTrue(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
        }
    }

    /** Throws {@link IllegalStateException} with a formatted message unless {@code condition}. */
    public static void state(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(Locale.ROOT, format, args));
        }
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
