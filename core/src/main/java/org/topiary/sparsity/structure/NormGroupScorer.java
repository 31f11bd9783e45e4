package org.topiary.sparsity.structure;

import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Checks;

/**
 * L1 ({@code Σ|w|}) or L2 ({@code sqrt(Σw²)}) norm of a group's weights over all its scored
 * tensors. JSON: {@code {"type": "l1"}} or {@code {"type": "l2"}}.
 */
final class NormGroupScorer implements GroupScorer {
    static final String TYPE_L1 = "l1";
    static final String TYPE_L2 = "l2";
    static final NormGroupScorer L1 = new NormGroupScorer(1);
    static final NormGroupScorer L2 = new NormGroupScorer(2);

    private final int p;

    private NormGroupScorer(int p) {
        this.p = p;
    }

    @Override
    public double[] score(GroupLayout layout, Function<String, INDArray> weights, TaylorAccumulator taylor, long step) {
        double[] total = new double[layout.groupCount()];
        for (GroupLayout.Member m : layout.scoredMembers()) {
            INDArray w = Checks.notNull("weights of '" + m.tensorId() + "'", weights.apply(m.tensorId()));
            double[] s = layout.groupSums(m, w, p == 1 ? Math::abs : v -> v * v);
            for (int g = 0; g < total.length; g++) {
                total[g] += s[g];
            }
        }
        if (p == 2) {
            for (int g = 0; g < total.length; g++) {
                total[g] = Math.sqrt(total[g]);
            }
        }
        return total;
    }

    @Override
    public String typeId() {
        return p == 1 ? TYPE_L1 : TYPE_L2;
    }

    @Override
    public String toString() {
        return typeId();
    }
}
