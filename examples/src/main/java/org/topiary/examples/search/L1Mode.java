package org.topiary.examples.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which L1 term a candidate adds to every weight matrix (never biases) while it is being pruned.
 *
 * <ul>
 *   <li>{@link #NONE}: no regularizer.
 *   <li>{@link #L1}: {@code org.topiary.sparsity.dl4j.conf.ScheduledL1}, the subgradient {@code
 *       λ·sign(w)} added before the updater.
 *   <li>{@link #PROXIMAL}: {@code org.topiary.sparsity.dl4j.conf.ProximalL1}, a soft-threshold
 *       step after the updater that makes weights exactly zero (under Adam λ is a dimensionless
 *       cut, see its Javadoc).
 * </ul>
 */
public enum L1Mode {
    /** No L1 term. */
    NONE,
    /** Subgradient L1 before the updater. */
    L1,
    /** Proximal L1 after the updater. */
    PROXIMAL;

    /** The lower-case name used on the command line and in tables. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #id()}.
     *
     * @param text {@code none}, {@code l1} or {@code proximal} (any case)
     * @return the mode
     * @throws IllegalArgumentException listing the valid names
     */
    public static L1Mode parse(String text) {
        for (L1Mode m : values()) {
            if (m.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "l1 mode must be one of "
                        + Arrays.stream(values()).map(L1Mode::id).collect(Collectors.joining(", "))
                        + ", found '" + text + "'");
    }
}
