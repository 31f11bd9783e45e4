package org.topiary.sparsity.schedule;

import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.internal.Checks;

/**
 * Dense until {@code step}, then {@code sparsity} at once (one-shot pruning). JSON: {@code
 * {"type": "one-shot", "sparsity": 0.9, "step": 4690}}.
 *
 * @param sparsity fraction of zeros in [0, 1) from {@code step} on
 * @param step the step at which pruning happens, {@code >= 0}
 */
public record OneShotSparsity(double sparsity, long step) implements SparsitySchedule {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "one-shot";

    public OneShotSparsity {
        Checks.inHalfOpenRange("sparsity", sparsity, 0.0, 1.0);
        Checks.nonNegative("step", step);
    }

    @Override
    public double sparsityAt(long t) {
        return t < step ? 0.0 : sparsity;
    }

    @Override
    public double initialSparsity() {
        return 0.0;
    }

    @Override
    public double finalSparsity() {
        return sparsity;
    }

    @Override
    public long beginStep() {
        return step;
    }

    @Override
    public long endStep() {
        return step;
    }

    @Override
    public SparsitySchedule withFinalSparsity(double finalSparsity) {
        return new OneShotSparsity(finalSparsity, step);
    }

    @Override
    public String typeId() {
        return TYPE;
    }
}
