package org.topiary.examples.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.distill.conf.KdLoss;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule;
import org.topiary.sparsity.dl4j.conf.ProximalL1;
import org.topiary.sparsity.dl4j.conf.ScheduledL1;
import org.topiary.sparsity.internal.Checks;

/**
 * One point of the search space: everything that distinguishes one candidate's training from
 * another's. Immutable and validated; equal settings train identical networks (same seed).
 *
 * <p>The pruning schedule is given as fractions of the run's optimizer steps, so the same
 * settings mean the same thing on the 54,000-image training split, on the full 60,000 images and
 * in a 1-epoch test. With {@code T} steps in the run, pruning follows Zhu &amp; Gupta's cubic
 * schedule from 0 at step {@code b = round(beginFraction·T)} to {@code finalSparsity} at step
 * {@code e = max(b + 1, round(endFraction·T))}, masks updated every {@code min(frequency, e − b)}
 * steps and at {@code e}. FMNIST-GMP (10 epochs, end of epoch 1 to end of epoch 7) is {@code
 * beginFraction = 0.1, endFraction = 0.7}.
 *
 * <p>The L1 term (if any) acts on every weight matrix from the first step until step {@code e},
 * then switches off, so the fine-tuning epochs are unregularized. Distillation (if on) uses the
 * Hinton loss {@code α·CE + (1−α)·T²·KL} ({@link KdLoss}) for the whole run.
 *
 * <p>The {@link PatternMode} says what the masks remove: single weights (the default) or whole
 * hidden neurons, in which case {@code finalSparsity} is the fraction of each hidden layer's
 * neurons removed and the allocation is {@link AllocationMode#LAYER} (structured patterns prune
 * layer by layer).
 *
 * @param finalSparsity target fraction of pruned weights, in {@code [0, 1)}
 * @param beginFraction where pruning begins, a fraction of the run's steps in {@code [0, 1)}
 * @param endFraction where the final sparsity is reached, in {@code (beginFraction, 1]}
 * @param frequency steps between mask updates, {@code >= 1}
 * @param allocation how the sparsity is spread over the layers
 * @param l1 which L1 term, if any
 * @param l1Strength its coefficient λ, {@code >= 0} ({@code 0} when {@code l1} is {@code NONE})
 * @param distill whether the student learns from the search's teacher
 * @param temperature KD temperature {@code T > 0} (only used when {@code distill})
 * @param alpha weight of the hard-label loss, in {@code [0, 1]} (only used when {@code distill})
 * @param pattern what the masks remove: single weights or whole hidden neurons (then {@code
 *     allocation} must be {@code LAYER})
 */
public record CandidateSettings(
        double finalSparsity,
        double beginFraction,
        double endFraction,
        long frequency,
        AllocationMode allocation,
        L1Mode l1,
        double l1Strength,
        boolean distill,
        double temperature,
        double alpha,
        PatternMode pattern)
        implements Serializable {

    /** Validates every component; see {@link #of} for the normalising factory. */
    public CandidateSettings {
        Checks.inHalfOpenRange("finalSparsity", finalSparsity, 0.0, 1.0);
        Checks.inHalfOpenRange("beginFraction", beginFraction, 0.0, 1.0);
        Checks.isTrue(
                endFraction > beginFraction && endFraction <= 1.0,
                "endFraction must be in (beginFraction, 1] = (%s, 1], found %s",
                beginFraction,
                endFraction);
        Checks.positive("frequency", frequency);
        Checks.notNull("allocation", allocation);
        Checks.notNull("l1", l1);
        Checks.nonNegative("l1Strength", l1Strength);
        Checks.isTrue(
                l1 != L1Mode.NONE || l1Strength == 0.0,
                "l1Strength must be 0 when l1 is none, found %s",
                l1Strength);
        Checks.positive("temperature", temperature);
        Checks.inClosedRange("alpha", alpha, 0.0, 1.0);
        Checks.notNull("pattern", pattern);
        Checks.isTrue(
                pattern != PatternMode.NEURONS || allocation == AllocationMode.LAYER,
                "allocation must be layer when pattern is neurons (structured patterns prune layer by layer),"
                        + " found %s; use CandidateSettings.of(...).withPattern(...), which normalises it",
                allocation.id());
    }

    /** KD settings written when distillation is off (the values are not used). */
    static final double NO_KD_TEMPERATURE = 1.0;

    /** See {@link #NO_KD_TEMPERATURE}. */
    static final double NO_KD_ALPHA = 1.0;

    /**
     * Settings with the unused values normalised: {@code l1Strength = 0} without an L1 term and
     * {@code T = 1, α = 1} without distillation, so two candidates that train the same way are
     * equal. The pattern is {@link PatternMode#UNSTRUCTURED}; see {@link #withPattern}.
     *
     * @return the validated settings
     */
    public static CandidateSettings of(
            double finalSparsity,
            double beginFraction,
            double endFraction,
            long frequency,
            AllocationMode allocation,
            L1Mode l1,
            double l1Strength,
            boolean distill,
            double temperature,
            double alpha) {
        return new CandidateSettings(
                finalSparsity,
                beginFraction,
                endFraction,
                frequency,
                allocation,
                l1,
                l1 == L1Mode.NONE ? 0.0 : l1Strength,
                distill,
                distill ? temperature : NO_KD_TEMPERATURE,
                distill ? alpha : NO_KD_ALPHA,
                PatternMode.UNSTRUCTURED);
    }

    /**
     * A copy with another pattern; with {@link PatternMode#NEURONS} the allocation becomes {@link
     * AllocationMode#LAYER} (structured patterns prune layer by layer; global scope is refused
     * and sensitivity targets are element sparsities, not neuron fractions).
     *
     * @param pattern the pattern
     * @return the validated settings
     */
    public CandidateSettings withPattern(PatternMode pattern) {
        Checks.notNull("pattern", pattern);
        AllocationMode a = pattern == PatternMode.NEURONS ? AllocationMode.LAYER : allocation;
        return new CandidateSettings(finalSparsity, beginFraction, endFraction, frequency, a, l1, l1Strength,
                distill, temperature, alpha, pattern);
    }

    /**
     * FMNIST-GMP: layer-wise 90% from 10% to 70% of the run, masks every 100 steps, no L1, no
     * distillation.
     *
     * @return the protocol settings
     */
    public static CandidateSettings fmnistGmp() {
        return of(0.9, 0.1, 0.7, 100, AllocationMode.LAYER, L1Mode.NONE, 0, false, 1, 1);
    }

    /** First pruning step for a run of {@code totalSteps}: {@code round(beginFraction·T)}. */
    public long beginStep(long totalSteps) {
        Checks.positive("totalSteps", totalSteps);
        return Math.min(totalSteps - 1, Math.round(beginFraction * totalSteps));
    }

    /** Step at which the final sparsity is reached: {@code max(b + 1, round(endFraction·T))}. */
    public long endStep(long totalSteps) {
        return Math.max(beginStep(totalSteps) + 1, Math.round(endFraction * totalSteps));
    }

    /**
     * The pruning configuration of a run with {@code totalSteps} optimizer steps: the JSON of
     * this value is what {@code topiary prune --config} reads.
     *
     * @param totalSteps optimizer steps of the whole run (epochs × steps per epoch)
     * @param allocator per-layer targets, used only for {@link AllocationMode#SENSITIVITY}
     * @return the configuration
     */
    public PruningConfig pruningConfig(long totalSteps, LayerAllocator allocator) {
        long begin = beginStep(totalSteps);
        long end = endStep(totalSteps);
        long every = Math.max(1, Math.min(frequency, end - begin));
        PruningConfig.Builder b =
                PruningConfig.builder()
                        .setSchedule(SparsitySchedule.polynomial(0.0, finalSparsity, begin, end))
                        .optWindow(new UpdateWindow(begin, end, every))
                        .optScope(allocation == AllocationMode.GLOBAL ? Scope.GLOBAL : Scope.LAYER);
        if (pattern != PatternMode.UNSTRUCTURED) {
            b.optPattern(pattern.sparsityPattern());
        }
        if (allocation == AllocationMode.SENSITIVITY) {
            Objects.requireNonNull(allocator, "allocator");
            for (Map.Entry<String, Double> e : allocator.allocate(finalSparsity).entrySet()) {
                b.optOverride(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }

    /**
     * The weight regularizers of a run with {@code totalSteps} steps: λ from the first step until
     * {@link #endStep}, then 0 (DL4J passes a regularizer the iteration count before the update).
     *
     * @param totalSteps optimizer steps of the whole run
     * @return an empty list, or one {@code ScheduledL1} or {@code ProximalL1}
     */
    public List<Regularization> regularizers(long totalSteps) {
        if (l1 == L1Mode.NONE || l1Strength == 0.0) {
            return new ArrayList<>();
        }
        int off = (int) Math.min(Integer.MAX_VALUE, endStep(totalSteps));
        PiecewiseLinearSchedule lambda =
                PiecewiseLinearSchedule.of(
                        ScheduleType.ITERATION, new int[] {off, off}, new double[] {l1Strength, 0.0});
        List<Regularization> out = new ArrayList<>();
        out.add(l1 == L1Mode.L1 ? ScheduledL1.of(lambda) : ProximalL1.of(lambda));
        return out;
    }

    /** The KD loss, for {@code distill} settings. */
    public KdLoss kdLoss() {
        Checks.state(distill, "kdLoss() of settings without distillation");
        return KdLoss.of(temperature, alpha);
    }

    /**
     * One line for tables and logs, e.g. {@code s=0.912 b=0.10 e=0.70 f=100 global l1=none kd=off}
     * ({@code … kd=off neurons} with the neurons pattern).
     */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "s=%.3f b=%.2f e=%.2f f=%d %s l1=%s%s kd=%s%s",
                finalSparsity,
                beginFraction,
                endFraction,
                frequency,
                allocation.id(),
                l1.id(),
                l1 == L1Mode.NONE ? "" : String.format(Locale.ROOT, "(%.3g)", l1Strength),
                distill ? String.format(Locale.ROOT, "T%.2f/a%.2f", temperature, alpha) : "off",
                pattern == PatternMode.UNSTRUCTURED ? "" : " " + pattern.id());
    }
}
