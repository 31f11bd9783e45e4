package org.topiary.examples.report;

import java.util.Locale;

/** Number formats shared by the table and the report, so both always agree. */
final class Formats {

    private Formats() {}

    /** A fraction as a percentage with two decimals, e.g. {@code "86.12 %"}. */
    static String accuracy(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    /** A fraction as a percentage with one decimal, e.g. {@code "90.0 %"}. */
    static String sparsity(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    /** A count with thousands separators, e.g. {@code "266,610"}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A byte size in binary units, e.g. {@code "1.02 MiB"}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MiB", n / (1024.0 * 1024.0));
    }

    /** Seconds with one decimal, e.g. {@code "41.3 s"}. */
    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    /** A rate without decimals, e.g. {@code "14,512"}. */
    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
