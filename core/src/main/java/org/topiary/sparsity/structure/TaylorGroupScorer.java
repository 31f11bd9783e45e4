package org.topiary.sparsity.structure;

import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Checks;

/**
 * First-order Taylor importance from a {@link TaylorAccumulator}: {@code Σ_steps Σ_{i∈g} |w_i
 * g_i|}. JSON: {@code {"type": "taylor"}}.
 */
final class TaylorGroupScorer implements GroupScorer {
    static final String TYPE = "taylor";
    static final TaylorGroupScorer INSTANCE = new TaylorGroupScorer();

    private TaylorGroupScorer() {}

    @Override
    public double[] score(GroupLayout layout, Function<String, INDArray> weights, TaylorAccumulator taylor, long step) {
        Checks.state(
                taylor != null,
                "the taylor group scorer needs gradients: the training loop must feed a TaylorAccumulator"
                        + " (PruningListener does this when the configured scorer is taylor)");
        double[] total = new double[layout.groupCount()];
        for (GroupLayout.Member m : layout.scoredMembers()) {
            INDArray acc = taylor.get(m.tensorId());
            if (acc == null) {
                continue;
            }
            double[] s = layout.groupSums(m, acc, v -> v);
            for (int g = 0; g < total.length; g++) {
                total[g] += s[g];
            }
        }
        return total;
    }

    @Override
    public boolean needsGradients() {
        return true;
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String toString() {
        return TYPE;
    }
}
