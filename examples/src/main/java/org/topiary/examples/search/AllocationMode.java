package org.topiary.examples.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a candidate's final sparsity is spread over the layers.
 *
 * <ul>
 *   <li>{@link #LAYER}: every prunable tensor reaches the target ({@code Scope.LAYER}).
 *   <li>{@link #GLOBAL}: one magnitude threshold over all tensors, the target is met overall
 *       ({@code Scope.GLOBAL}).
 *   <li>{@link #SENSITIVITY}: per-layer targets from a sensitivity analysis of a dense model
 *       (layer scope with per-layer overrides), computed once per search by a {@link
 *       LayerAllocator}.
 * </ul>
 */
public enum AllocationMode {
    /** Every tensor at the target sparsity. */
    LAYER,
    /** One threshold over all tensors. */
    GLOBAL,
    /** Per-layer targets from sensitivity curves. */
    SENSITIVITY;

    /** The lower-case name used on the command line and in tables ({@code layer}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #id()}.
     *
     * @param text {@code layer}, {@code global} or {@code sensitivity} (any case)
     * @return the mode
     * @throws IllegalArgumentException listing the valid names
     */
    public static AllocationMode parse(String text) {
        for (AllocationMode m : values()) {
            if (m.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "allocation must be one of "
                        + Arrays.stream(values()).map(AllocationMode::id).collect(Collectors.joining(", "))
                        + ", found '" + text + "'");
    }
}
