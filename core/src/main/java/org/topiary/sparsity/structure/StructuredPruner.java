package org.topiary.sparsity.structure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.Pruner;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.internal.Checks;

/**
 * Computes structured ({@link SparsityPattern.Groups}) and semi-structured ({@link
 * SparsityPattern.NOfM}, {@link SparsityPattern.Blocks}) masks of a {@link PruningConfig} at a
 * step; the counterpart of {@link Pruner} for non-element patterns, with the same schedules,
 * overrides and monotonicity. Owns no state: the caller keeps masks and the {@link
 * TaylorAccumulator}.
 *
 * <p><b>Counts.</b> Groups: a layout whose first scored tensor has target {@code s} loses {@code
 * round(s·G)} of its {@code G} groups, at most {@code G − 1}. Blocks: {@code round(s·B)} of
 * {@code B}, at most {@code B − 1}. N:M: {@code round(s / (1 − n/m) · G_m)} runs converted, at
 * most {@code G_m}. Previously removed units count first unless the strategy allows regrowth.
 */
public final class StructuredPruner {
    private final Pruner targets;
    private final SparsityPattern pattern;
    private final ImportanceScorer elementScorer;
    private final boolean regrowth;

    private StructuredPruner(PruningConfig config) {
        Checks.notNull("config", config);
        Checks.isTrue(
                !(config.pattern() instanceof SparsityPattern.Elements),
                "the configuration's pattern is elements; use Pruner.of(config) for unstructured pruning");
        this.targets = Pruner.of(config.schedule(), config.scope(), config.scorer(), config.strategy());
        this.pattern = config.pattern();
        this.elementScorer = config.scorer();
        this.regrowth = config.strategy().allowsRegrowth();
    }

    /** The structured pruner of a configuration whose pattern is not elements. */
    public static StructuredPruner of(PruningConfig config) {
        return new StructuredPruner(config);
    }

    /** The pattern. */
    public SparsityPattern pattern() {
        return pattern;
    }

    /** The schedule's target for {@code tensor} at {@code step} (honouring its override). */
    public double targetSparsity(PrunableTensor tensor, long step) {
        return targets.targetSparsity(tensor, step);
    }

    /**
     * New masks of every member of every layout (pattern {@link SparsityPattern.Groups}). The
     * fraction removed is the target of the layout's first scored tensor.
     *
     * @param tensors every member tensor by id, with its current mask
     * @param taylor accumulated gradient evidence, needed only by the Taylor scorer
     */
    public Map<String, INDArray> groupMasks(
            List<GroupLayout> layouts, Map<String, PrunableTensor> tensors, TaylorAccumulator taylor, long step) {
        Checks.isTrue(pattern instanceof SparsityPattern.Groups, "groupMasks needs a groups pattern, found %s", pattern);
        GroupScorer scorer = ((SparsityPattern.Groups) pattern).scorer();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (GroupLayout layout : layouts) {
            GroupLayout.Member first = layout.scoredMembers().get(0);
            PrunableTensor t0 = Checks.notNull("tensor '" + first.tensorId() + "'", tensors.get(first.tensorId()));
            long k = MaskStrategy.countFor(targetSparsity(t0, step), layout.groupCount());
            boolean[] removedBefore = regrowth || t0.mask() == null ? null : layout.prunedGroups(first, t0.mask());
            double[] scores = scorer.score(layout, id -> tensors.get(id).weights(), taylor, step);
            boolean[] kept = LowestGroups.keep(scores, removedBefore, k, "layout '" + layout.name() + "'");
            for (GroupLayout.Member m : layout.members()) {
                out.put(m.tensorId(), layout.expand(m, kept));
            }
        }
        return out;
    }

    /** Kept groups of a layout as its first scored tensor's mask shows them (all kept if none). */
    public static long keptGroups(GroupLayout layout, INDArray firstScoredMask) {
        if (firstScoredMask == null) {
            return layout.groupCount();
        }
        boolean[] pruned = layout.prunedGroups(layout.scoredMembers().get(0), firstScoredMask);
        long kept = 0;
        for (boolean p : pruned) {
            if (!p) {
                kept++;
            }
        }
        return kept;
    }

    /** The new mask of one tensor (pattern {@link SparsityPattern.NOfM} or {@link SparsityPattern.Blocks}). */
    public INDArray semiStructuredMask(PrunableTensor tensor, MatrixView view, long step) {
        Checks.isTrue(
                java.util.Arrays.equals(view.shape(), tensor.weights().shape()),
                "view of '%s' has shape %s but the tensor has %s",
                tensor.id(),
                java.util.Arrays.toString(view.shape()),
                java.util.Arrays.toString(tensor.weights().shape()));
        double s = targetSparsity(tensor, step);
        INDArray scores = elementScorer.score(tensor, step);
        INDArray previous = regrowth ? null : tensor.mask();
        if (pattern instanceof SparsityPattern.NOfM p) {
            long runs = NOfMMasks.runCount(view, p);
            long converted = Math.min(runs, Math.round(s / p.sparsity() * runs));
            return NOfMMasks.mask(view, p, scores, previous, converted);
        }
        if (pattern instanceof SparsityPattern.Blocks p) {
            long blocks = BlockMasks.blockCount(view, p);
            return BlockMasks.mask(view, p, scores, previous, MaskStrategy.countFor(s, blocks));
        }
        throw new IllegalArgumentException("semiStructuredMask needs an n-of-m or blocks pattern, found " + pattern);
    }

    /** Checks that {@code view} suits the pattern (divisibility); the error names the tensor. */
    public void validate(MatrixView view) {
        if (pattern instanceof SparsityPattern.NOfM p) {
            NOfMMasks.requireDivisible(view, p);
        } else if (pattern instanceof SparsityPattern.Blocks p) {
            BlockMasks.requireDivisible(view, p);
        }
    }
}
