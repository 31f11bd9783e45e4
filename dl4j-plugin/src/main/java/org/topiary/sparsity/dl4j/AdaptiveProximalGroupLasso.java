package org.topiary.sparsity.dl4j;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ISchedule;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.dl4j.internal.OptimizerSteps;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.GroupLassoPenalty;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * Proximal group lasso over output neurons (dense weights) and filters (convolution weights)
 * with the optimizer's own per-element step: after every update each group is block
 * soft-thresholded in the metric of Adam's preconditioner, so whole neurons become exactly 0.0.
 *
 * <pre>
 *   w_g ← z_g · max(0, 1 − λ·sqrt(p) / ‖z_g / s_g‖₂),   z = w − u (the weights after the update)
 *   Adam:            sᵢ = lr · sqrt(1 − β₂ᵗ) / (sqrt(vᵢ) + ε)
 *   Sgd, Nesterovs:  sᵢ = lr   (then exactly {@link org.topiary.sparsity.dl4j.conf.ProximalGroupLasso})
 * </pre>
 *
 * <p>p is the group size (fan-in of a neuron, {@code nIn·kH·kW} of a filter), the weighting of
 * {@link GroupLassoPenalty}. A group becomes zero exactly when the proximal point of the
 * preconditioned problem is zero (see {@link GroupLassoPenalty#prox(INDArray, ParamGroups,
 * INDArray, double)}, which also states the approximation made for the survivors): roughly, when
 * the group's Adam-normalised mean gradient {@code ‖m̂_g / sqrt(v̂_g)·…‖} cannot hold it against
 * λ. λ is in units of the loss gradient, as for {@link AdaptiveProximalL1}.
 *
 * <p><b>Step cap</b> ({@link #withThresholdCap}, off by default), the same as {@link
 * AdaptiveProximalL1#withThresholdCap}: where Adam's {@code vᵢ} has decayed (weights from inputs
 * that are always zero, or into a neuron whose ReLU stopped firing) {@code sᵢ} grows without bound,
 * {@code ‖z_g/s_g‖₂} collapses and the group is zeroed whatever its weights. With a cap {@code k > 0}
 * every per-element step of a tensor is limited to {@code k} times the step of a weight with the
 * tensor's mean second moment before the group norm is taken:
 *
 * <pre>
 *   sᵢ' = min(sᵢ, k · s̄),   Adam: s̄ = lr · sqrt(1 − β₂ᵗ) / (sqrt(mean_j v_j) + ε)   (j over the tensor)
 *                           Sgd, Nesterovs: s̄ = lr, so sᵢ' = lr · min(1, k)
 * </pre>
 *
 * and the block soft-threshold above uses {@code s'} in place of {@code s}. {@code k = ∞} is the
 * uncapped form.
 *
 * <p>Groups are taken from the param's shape: rank 2 {@code [nIn, nOut]} (Dense, Output) gives
 * one group per output neuron (column), rank 4 {@code [nOut, nIn, kH, kW]} one per filter; other
 * ranks are rejected. Why a listener: see {@link AdaptiveProximalL1}; the same composition with
 * {@link PruningListener}, save/restore and per-model binding rules apply.
 */
public final class AdaptiveProximalGroupLasso extends BaseTrainingListener {
    private static final String OWNER = "AdaptiveProximalGroupLasso";
    private static final String WORKSPACE_ID = "TOPIARY_ADAPTIVE_PROXIMAL_GROUP_LASSO";

    private final ISchedule lambda;
    private final List<String> layers;
    private final PrunableParams registry;
    private final double thresholdCap;
    private GroupBinding binding;

    private AdaptiveProximalGroupLasso(ISchedule lambda, List<String> layers, PrunableParams registry,
                                       double thresholdCap) {
        this.lambda = Coefficients.check("lambda", lambda);
        this.layers = List.copyOf(layers);
        this.registry = Checks.notNull("registry", registry);
        this.thresholdCap = thresholdCap;
    }

    /** A constant coefficient {@code lambda >= 0}, in units of the loss gradient. */
    public static AdaptiveProximalGroupLasso of(double lambda) {
        return new AdaptiveProximalGroupLasso(Coefficients.constant("lambda", lambda), List.of(),
                PrunableParams.defaults(), Double.POSITIVE_INFINITY);
    }

    /** A scheduled coefficient; every value must be {@code >= 0} (checked when used). */
    public static AdaptiveProximalGroupLasso of(ISchedule lambda) {
        return new AdaptiveProximalGroupLasso(lambda, List.of(), PrunableParams.defaults(), Double.POSITIVE_INFINITY);
    }

    /** A copy that acts only on these layers (names, or MultiLayerNetwork indices). */
    public AdaptiveProximalGroupLasso onLayers(String... layerNames) {
        Checks.notNull("layerNames", layerNames);
        Checks.isTrue(layerNames.length > 0, "layerNames must name at least one layer, found none");
        return new AdaptiveProximalGroupLasso(lambda, List.of(layerNames), registry, thresholdCap);
    }

    /** A copy that finds weights with this registry (for custom layers). */
    public AdaptiveProximalGroupLasso withRegistry(PrunableParams params) {
        return new AdaptiveProximalGroupLasso(lambda, layers, params, thresholdCap);
    }

    /**
     * A copy whose per-element steps are capped at {@code multiple} times the step of a weight
     * with the tensor's mean second moment, {@code sᵢ' = min(sᵢ, multiple · s̄)}, before the block
     * soft-threshold (see the class comment). {@code Double.POSITIVE_INFINITY} removes the cap.
     *
     * @param multiple {@code k > 0}, dimensionless
     */
    public AdaptiveProximalGroupLasso withThresholdCap(double multiple) {
        Checks.isTrue(multiple > 0 && !Double.isNaN(multiple),
                "thresholdCap must be > 0 (a multiple of the mean-second-moment step; +Infinity for no cap), found %s",
                multiple);
        return new AdaptiveProximalGroupLasso(lambda, layers, registry, multiple);
    }

    /** The cap multiple {@code k} of {@link #withThresholdCap}, {@code +Infinity} when uncapped. */
    public double thresholdCap() {
        return thresholdCap;
    }

    /** Binds to {@code model} now, validating the selection, and adds this listener to it. */
    public AdaptiveProximalGroupLasso attachTo(Model model) {
        bind(model);
        model.addListeners(this);
        return this;
    }

    /** The coefficient's schedule. */
    public ISchedule lambda() {
        return lambda;
    }

    /** Ids of the regularized params, in model order. */
    public List<String> selectedParamIds() {
        return GroupBinding.paramIds(binding);
    }

    /** The penalty {@code λ(iteration, epoch) · Σ sqrt(p)·‖w_g‖₂} (not in DL4J's score). */
    public double penalty(int iteration, int epoch) {
        Checks.state(binding != null, "not bound to a model yet: call attachTo(model) or train first");
        double l = Coefficients.at(lambda, iteration, epoch, OWNER);
        double sum = 0;
        for (GroupBinding.Target t : binding.targets()) {
            sum += GroupLassoPenalty.value(t.param().view(), t.groups());
        }
        return l * sum;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        GroupBinding b = bind(model);
        double l = Coefficients.at(lambda, iteration, epoch, OWNER);
        if (!(l > 0.0)) {
            return;
        }
        List<OptimizerSteps.Slot> slots = OptimizerSteps.slots(b.adapter().updater(), b.params(), OWNER);
        try (MemoryWorkspace ws = OptimizerSteps.openWorkspace(WORKSPACE_ID)) {
            for (int i = 0; i < slots.size(); i++) {
                OptimizerSteps.Slot s = slots.get(i);
                INDArray steps = OptimizerSteps.scaledSteps(s, 1.0, iteration, epoch);
                if (thresholdCap != Double.POSITIVE_INFINITY) {
                    Transforms.min(steps, thresholdCap * OptimizerSteps.meanMomentStep(s, 1.0, iteration, epoch), false);
                }
                s.param().assign(GroupLassoPenalty.prox(s.param(), b.targets().get(i).groups(), steps, l));
            }
        }
    }

    private GroupBinding bind(Model model) {
        if (binding == null) {
            binding = GroupBinding.of(model, layers, registry, OWNER);
        }
        return binding.requireModel(model, OWNER);
    }

    @Override
    public String toString() {
        return "AdaptiveProximalGroupLasso{lambda=" + lambda + (layers.isEmpty() ? "" : ", layers=" + layers)
                + (thresholdCap == Double.POSITIVE_INFINITY ? "" : ", thresholdCap=" + thresholdCap) + "}";
    }
}
