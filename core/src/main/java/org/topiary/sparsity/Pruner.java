package org.topiary.sparsity;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.internal.ScoreOrder;
import org.topiary.sparsity.mask.LowestScoreMask;

/**
 * Computes new masks for a set of tensors at a step. It composes a schedule (how much), a scope
 * (how the target is shared), a scorer (what matters) and a mask strategy (how to mask) and owns no
 * state: the caller keeps the masks.
 *
 * <p><b>Counts.</b> Layer-wise, tensor {@code i} loses {@code round(s_i * n_i)} entries (at most
 * {@code n_i - 1}). Global, the pooled tensors lose {@code round(s * N)} entries chosen by one
 * order over all of them (ascending score, ties to the earlier tensor, then the lower index), and
 * each tensor keeps at least one entry. With a monotone strategy previously pruned entries count
 * first.
 */
public final class Pruner {
    private final SparsitySchedule schedule;
    private final Scope scope;
    private final ImportanceScorer scorer;
    private final MaskStrategy strategy;

    private Pruner(
            SparsitySchedule schedule, Scope scope, ImportanceScorer scorer, MaskStrategy strategy) {
        this.schedule = Checks.notNull("schedule", schedule);
        this.scope = Checks.notNull("scope", scope);
        this.scorer = Checks.notNull("scorer", scorer);
        this.strategy = Checks.notNull("strategy", strategy);
    }

    /**
     * The pruner of a configuration with the elements pattern; other patterns are computed by
     * {@link org.topiary.sparsity.structure.StructuredPruner}.
     */
    public static Pruner of(PruningConfig config) {
        Checks.isTrue(
                config.pattern() instanceof org.topiary.sparsity.structure.SparsityPattern.Elements,
                "pattern %s is not element-wise; use StructuredPruner.of(config)",
                config.pattern());
        return new Pruner(config.schedule(), config.scope(), config.scorer(), config.strategy());
    }

    /** A pruner from its parts. */
    public static Pruner of(
            SparsitySchedule schedule, Scope scope, ImportanceScorer scorer, MaskStrategy strategy) {
        return new Pruner(schedule, scope, scorer, strategy);
    }

    /** The target of {@code tensor} at {@code step}, honouring its override. */
    public double targetSparsity(PrunableTensor tensor, long step) {
        if (tensor.finalSparsityOverride().isPresent()) {
            return schedule.withFinalSparsity(tensor.finalSparsityOverride().getAsDouble())
                    .sparsityAt(step);
        }
        return schedule.sparsityAt(step);
    }

    /**
     * New masks (BOOL, {@code true} = kept), one per tensor in order. Pure: the tensors' weights
     * and masks are not modified.
     */
    public List<INDArray> computeMasks(List<PrunableTensor> tensors, long step) {
        return computeMasks(tensors, step, MaskWorkspace.create());
    }

    /**
     * Like {@link #computeMasks(List, long)}, with the selection's Java arrays taken from {@code
     * workspace} (same masks; no tensor-sized allocation once the workspace is warm). For a
     * training loop that updates masks repeatedly: one workspace per model.
     */
    public List<INDArray> computeMasks(List<PrunableTensor> tensors, long step, MaskWorkspace workspace) {
        Checks.notNull("tensors", tensors);
        Checks.notNull("workspace", workspace);
        List<INDArray> scores = new ArrayList<>(tensors.size());
        for (PrunableTensor t : tensors) {
            scores.add(scorer.score(t, step));
        }
        long[] counts = new long[tensors.size()];
        List<Integer> pooled = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            PrunableTensor t = tensors.get(i);
            if (scope == Scope.GLOBAL && t.finalSparsityOverride().isEmpty()) {
                pooled.add(i);
            } else {
                counts[i] = MaskStrategy.countFor(targetSparsity(t, step), t.length());
            }
        }
        INDArray[] direct = null;
        if (!pooled.isEmpty()) {
            direct = allocateGlobally(tensors, scores, pooled, schedule.sparsityAt(step), counts, workspace);
        }
        List<INDArray> masks = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            masks.add(direct != null && direct[i] != null
                    ? direct[i]
                    : strategy.computeMask(scores.get(i), tensors.get(i).mask(), counts[i], workspace));
        }
        return masks;
    }

    /**
     * Splits the global count over the pooled tensors ({@code counts}). For the lowest-score
     * strategies it also returns the pooled tensors' masks, read off the same global cut (they
     * equal what the strategy would compute from each tensor's count, so the per-tensor selection
     * is skipped); {@code null} when that shortcut does not apply (another strategy, a tensor
     * capped at {@code n - 1}, or fewer pruned than already pruned).
     */
    private INDArray[] allocateGlobally(
            List<PrunableTensor> tensors,
            List<INDArray> scores,
            List<Integer> pooled,
            double sparsity,
            long[] counts,
            MaskWorkspace workspace) {
        long total = 0;
        for (int i : pooled) {
            total += tensors.get(i).length();
        }
        Checks.isTrue(
                total <= ScoreOrder.MAX_ELEMENTS,
                "global scope orders at most %d weights at once, found %d; use layer scope",
                ScoreOrder.MAX_ELEMENTS,
                total);
        // slots 1.. of the workspace: slot 0 is the strategy's, used after this method returns
        int[][] parts = new int[pooled.size()][];
        byte[][] bytes = new byte[pooled.size()][];
        long forcedTotal = 0;
        for (int p = 0; p < pooled.size(); p++) {
            int i = pooled.get(p);
            PrunableTensor t = tensors.get(i);
            int length = (int) t.length();
            bytes[p] = workspace.bytes(p + 1, length);
            byte[] previous = strategy.allowsRegrowth() || t.mask() == null ? null : Arrays4j.keptBytesC(t.mask(), bytes[p]);
            if (previous != null) {
                forcedTotal += Arrays4j.countZeros(previous);
            }
            parts[p] = ScoreOrder.sortableValues(scores.get(i), previous, t.id(), workspace.ints(p + 1, length));
        }
        long k = MaskStrategy.countFor(sparsity, total);
        ScoreOrder.Cut cut = ScoreOrder.cutSmallest(parts, k, workspace.zeroedHistogram());
        boolean direct = strategy instanceof LowestScoreMask && k >= forcedTotal;
        // the previous bytes are consumed by sortableValues, so the kept bytes may overwrite them
        byte[][] kept = direct ? cut.keptBytes(parts, bytes) : null;
        long[] pooledCounts = new long[pooled.size()];
        if (direct) {
            for (int p = 0; p < pooled.size(); p++) {
                pooledCounts[p] = Arrays4j.countZeros(kept[p]);
            }
        } else {
            pooledCounts = cut.countsPerPart(parts);
        }
        for (int p = 0; p < pooled.size(); p++) {
            int i = pooled.get(p);
            long cap = tensors.get(i).length() - 1;
            direct &= pooledCounts[p] <= cap;
            counts[i] = Math.min(pooledCounts[p], cap);
        }
        if (!direct) {
            return null;
        }
        INDArray[] masks = new INDArray[tensors.size()];
        for (int p = 0; p < pooled.size(); p++) {
            int i = pooled.get(p);
            masks[i] = Arrays4j.boolMask(kept[p], scores.get(i).shape());
        }
        return masks;
    }
}
