package org.topiary.sparsity.dl4j.persist;

/**
 * Training produced NaN or infinite values, in the score or in a parameter. Thrown from a training
 * listener, so it ends {@code fit}; the last checkpoint written before it is intact (checkpoints
 * are never written from a diverged model).
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long step;
    private final String where;

    public TrainingDivergedException(long step, String where, String message) {
        super(message);
        this.step = step;
        this.where = where;
    }

    /** Completed optimizer updates when the non-finite value was seen. */
    public long step() {
        return step;
    }

    /** {@code "score"} or the param id, e.g. {@code "0_W"}. */
    public String where() {
        return where;
    }
}
