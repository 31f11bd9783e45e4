package org.topiary.sparsity.dl4j;

/**
 * A pruning configuration that does not fit the model: a layer name, type, param key, exclusion
 * or override that matches nothing, or a selection that leaves nothing to prune. The message lists
 * the model's layers and prunable params.
 */
public final class SelectionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SelectionException(String message) {
        super(message);
    }
}
