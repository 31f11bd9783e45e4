package org.topiary.sparsity;

/** How a sparsity target is shared among tensors. */
public enum Scope {
    /** Every tensor is pruned to the target on its own (layer-wise). */
    LAYER,
    /**
     * One threshold across all tensors: the pooled tensors together reach the target, each tensor
     * keeps what survives the common threshold. Tensors with an override are pruned on their own.
     */
    GLOBAL;

    /** Parses {@code layer} or {@code global} (any case); other values fail with the valid list. */
    public static Scope parse(String text) {
        for (Scope s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "scope must be one of [layer, global], found '" + text + "'");
    }
}
