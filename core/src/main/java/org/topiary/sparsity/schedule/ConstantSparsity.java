package org.topiary.sparsity.schedule;

import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.internal.Checks;

/**
 * The same target at every step. JSON: {@code {"type": "constant", "sparsity": 0.5}}.
 *
 * @param sparsity fraction of zeros in [0, 1)
 */
public record ConstantSparsity(double sparsity) implements SparsitySchedule {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "constant";

    public ConstantSparsity {
        Checks.inHalfOpenRange("sparsity", sparsity, 0.0, 1.0);
    }

    @Override
    public double sparsityAt(long step) {
        return sparsity;
    }

    @Override
    public double initialSparsity() {
        return sparsity;
    }

    @Override
    public double finalSparsity() {
        return sparsity;
    }

    @Override
    public long beginStep() {
        return 0;
    }

    @Override
    public long endStep() {
        return 0;
    }

    @Override
    public SparsitySchedule withFinalSparsity(double finalSparsity) {
        return new ConstantSparsity(finalSparsity);
    }

    @Override
    public String typeId() {
        return TYPE;
    }
}
