package org.topiary.sparsity.dl4j.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The step size per element that DL4J's updater used in the update just applied, read from the
 * updater's state after the step (in {@code iterationDone}).
 *
 * <p>For a weight {@code wᵢ} updated as {@code wᵢ −= sᵢ · ĝᵢ}, where {@code ĝᵢ} is the
 * (bias-corrected) gradient estimate, {@code sᵢ} is:
 *
 * <ul>
 *   <li>{@link Adam} (ND4J's {@code AdamUpdater}: {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v +
 *       (1−β₂)g²}, update {@code = lr·sqrt(1−β₂ᵗ)/(1−β₁ᵗ) · m / (sqrt(v) + ε)}, with {@code t =
 *       iteration + 1}): {@code sᵢ = lr · sqrt(1−β₂ᵗ) / (sqrt(vᵢ) + ε) = lr / (sqrt(v̂ᵢ) + ε /
 *       sqrt(1−β₂ᵗ))}, the step applied to the bias-corrected mean {@code m̂ = m/(1−β₁ᵗ)};
 *   <li>{@link Sgd}: {@code sᵢ = lr};
 *   <li>{@link Nesterovs}: {@code sᵢ = lr}, the convention of proximal SGD with momentum (a
 *       heuristic: ND4J's Nesterov update applies {@code (1+μ)·lr} to the current gradient plus
 *       the decayed velocity, so no single per-step factor is exact).
 * </ul>
 *
 * <p>Other updaters are rejected with a message naming the supported ones.
 */
public final class OptimizerSteps {
    private OptimizerSteps() {}

    /**
     * A workspace for the per-step temporaries of the proximal listeners: opened in {@code
     * iterationDone}, its memory is reused every step instead of waiting for the garbage
     * collector to free native arrays (which, with a small heap, let a run's native memory grow to
     * ND4J's limit).
     */
    public static MemoryWorkspace openWorkspace(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, id);
    }

    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** The updaters whose step sizes this class can read. */
    public static final String SUPPORTED = "Adam, Sgd, Nesterovs";

    /**
     * A param and its updater: {@code param} is the live shaped view, {@code secondMoment} (Adam
     * only, else null) the live 1-D slice of {@code v} in the param's memory order.
     */
    public record Slot(ParamHandle handle, INDArray param, IUpdater config, INDArray secondMoment) {}

    /**
     * The param's slot in the updater: its live param view and, for Adam, the aligned slice of
     * {@code v}.
     *
     * @throws IllegalStateException if the param is not trained by the updater, its blocks have
     *     not been initialised by a first update, or the updater is not supported
     */
    public static Slot slot(BaseMultiLayerUpdater<?> updater, ParamHandle param, String owner) {
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                if (!ModelAdapter.isStateOf(ps, param)) {
                    continue;
                }
                GradientUpdater<?> gu = block.getGradientUpdater();
                if (gu == null) {
                    throw new IllegalStateException(owner + ": the updater of '" + param.id()
                            + "' is not initialised yet; the proximal step runs after an update (iterationDone)");
                }
                IUpdater cfg = gu.getConfig();
                INDArray v = null;
                if (gu instanceof AdamUpdater a && cfg.getClass() == Adam.class) {
                    long from = ps.getParamOffsetStart() - block.getParamOffsetStart();
                    long to = ps.getParamOffsetEnd() - block.getParamOffsetStart();
                    v = slice(a.getV(), from, to, param.id());
                } else if (cfg.getClass() != Sgd.class && cfg.getClass() != Nesterovs.class) {
                    throw new IllegalStateException(owner + ": param '" + param.id() + "' is trained by "
                            + cfg.getClass().getSimpleName() + "; supported updaters: " + SUPPORTED
                            + ". For other updaters use the ProximalL1 regularizer (threshold lr·λ)");
                }
                return new Slot(param, param.view(), cfg, v);
            }
        }
        throw new IllegalStateException(owner + ": param '" + param.id()
                + "' is not trained by the model's updater (frozen layer?)");
    }

    /** Slots for all params, in order. */
    public static List<Slot> slots(BaseMultiLayerUpdater<?> updater, List<ParamHandle> params, String owner) {
        List<Slot> out = new ArrayList<>(params.size());
        for (ParamHandle p : params) {
            out.add(slot(updater, p, owner));
        }
        return out;
    }

    /**
     * {@code c · sᵢ} for every element of the slot, as a new array: for Adam a vector in the
     * param's memory order, for Sgd and Nesterovs a constant array {@code c · lr} of the param's
     * shape (both are what {@code L1Penalty.prox(w, t)} takes).
     *
     * @param iteration the iteration DL4J passed to the update (before its increment)
     */
    public static INDArray scaledSteps(Slot slot, double c, int iteration, int epoch) {
        double lr = slot.config().getLearningRate(iteration, epoch);
        if (slot.secondMoment() == null) {
            return slot.param().ulike().assign(c * lr);
        }
        Adam adam = (Adam) slot.config();
        double bias2 = Math.sqrt(1.0 - Math.pow(adam.getBeta2(), iteration + 1.0));
        return Transforms.sqrt(slot.secondMoment(), true).addi(adam.getEpsilon()).rdivi(c * lr * bias2);
    }

    /**
     * {@code c · s̄}: the step of a weight whose second moment is the mean of the slot's: for Adam
     * {@code c · lr · sqrt(1−β₂ᵗ) / (sqrt(mean v) + ε)}, for Sgd and Nesterovs {@code c · lr}.
     *
     * @param iteration the iteration DL4J passed to the update (before its increment)
     */
    public static double meanMomentStep(Slot slot, double c, int iteration, int epoch) {
        double lr = slot.config().getLearningRate(iteration, epoch);
        if (slot.secondMoment() == null) {
            return c * lr;
        }
        Adam adam = (Adam) slot.config();
        double bias2 = Math.sqrt(1.0 - Math.pow(adam.getBeta2(), iteration + 1.0));
        double meanV = slot.secondMoment().meanNumber().doubleValue();
        return c * lr * bias2 / (Math.sqrt(meanV) + adam.getEpsilon());
    }

    private static INDArray slice(INDArray s, long from, long to, String id) {
        if (s.rank() == 1) {
            return s.get(NDArrayIndex.interval(from, to));
        }
        if (s.rank() == 2 && s.size(0) == 1) {
            return s.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to));
        }
        throw new IllegalStateException("Adam state of '" + id + "' has shape " + Arrays.toString(s.shape())
                + "; expected a vector");
    }
}
