package org.topiary.sparsity;

import org.topiary.sparsity.internal.Checks;

/**
 * When masks are recomputed: at {@code beginStep}, then every {@code frequency} steps, and always
 * at {@code endStep} so that the final target is met exactly even when {@code endStep - beginStep}
 * is not a multiple of {@code frequency}. Steps count completed optimizer updates (see {@link
 * SparsitySchedule}).
 *
 * <p>Example (the FMNIST-GMP protocol): {@code new UpdateWindow(469, 3283, 100)} updates masks
 * at 469, 569, …, 3269 and 3283.
 *
 * @param beginStep first update step, {@code >= 0}
 * @param endStep last update step, {@code >= beginStep}
 * @param frequency steps between updates, {@code >= 1}
 */
public record UpdateWindow(long beginStep, long endStep, long frequency) {

    public UpdateWindow {
        Checks.nonNegative("beginStep", beginStep);
        Checks.isTrue(
                endStep >= beginStep,
                "endStep (%d) must be >= beginStep (%d)",
                endStep,
                beginStep);
        Checks.positive("frequency", frequency);
    }

    /** A single mask update at {@code step} (one-shot pruning). */
    public static UpdateWindow once(long step) {
        return new UpdateWindow(step, step, 1);
    }

    /** True when masks are recomputed after {@code step} updates. */
    public boolean isUpdateStep(long step) {
        if (step < beginStep || step > endStep) {
            return false;
        }
        return step == endStep || (step - beginStep) % frequency == 0;
    }

    /** Number of update steps in the window. */
    public long updateCount() {
        long regular = (endStep - beginStep) / frequency + 1;
        return (endStep - beginStep) % frequency == 0 ? regular : regular + 1;
    }
}
