package org.topiary.sparsity.dl4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ISchedule;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.dl4j.internal.OptimizerSteps;
import org.topiary.sparsity.dl4j.internal.ParamHandle;
import org.topiary.sparsity.dl4j.internal.WeightSelection;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.L1Penalty;

/**
 * Proximal L1 with the optimizer's own per-element step: after every update, each selected weight
 * is soft-thresholded by {@code tᵢ = λ · sᵢ}, where {@code sᵢ} is the step Adam just applied to
 * that weight. Weights become exactly 0.0 and stay there while the threshold holds.
 *
 * <pre>
 *   w ← prox(w − u) = sign(w − u) · max(|w − u| − tᵢ, 0)
 *   Adam:            tᵢ = λ · lr · sqrt(1 − β₂ᵗ) / (sqrt(vᵢ) + ε)  ≈  λ · lr / sqrt(v̂ᵢ)
 *   Sgd, Nesterovs:  tᵢ = λ · lr   (exact for Sgd; the usual convention with momentum)
 * </pre>
 *
 * <p><b>Threshold cap</b> ({@link #withThresholdCap}, off by default). Where a weight's gradient
 * has been near zero for a while (e.g. every weight into a neuron whose ReLU stopped firing), Adam's
 * {@code vᵢ} decays towards 0 and {@code sᵢ} grows without bound, so such weights are zeroed at once
 * and the neuron cannot come back. With a cap {@code k > 0} the threshold is limited per tensor to
 * {@code k} times Adam's step for a weight whose second moment is the tensor's mean:
 *
 * <pre>
 *   tᵢ = λ · min(sᵢ, k · s̄),   Adam: s̄ = lr · sqrt(1 − β₂ᵗ) / (sqrt(mean_j v_j) + ε)   (j over the tensor)
 *                              Sgd, Nesterovs: s̄ = lr, so tᵢ = λ · lr · min(1, k)
 * </pre>
 *
 * The mean is dominated by the large {@code v} of weights that do receive gradient, so {@code s̄}
 * stays finite when part of the tensor is dead. {@code k = ∞} is the uncapped step; {@code k = 1}
 * thresholds every weight whose {@code vᵢ} is below the tensor mean by the same amount.
 *
 * <p><b>Reweighting</b> ({@link #withReweighting}, off by default): the adaptive lasso of Zou
 * (2006). Each weight's threshold is multiplied by {@code cᵢ = (|w⁰ᵢ| / mean_j |w⁰_j|)^(−γ)}, with
 * the weights {@code w⁰} of the tensor after the update of the first step at which λ is positive
 * (so a schedule that is 0 for the first epoch takes them from a network trained for one epoch);
 * a weight that is 0 then gets {@code cᵢ = +∞} and stays 0. Large weights are pulled less, small
 * ones more: {@code tᵢ = λ · min(sᵢ, k · s̄) · cᵢ}. The factors are fixed from then on and are not
 * saved with the model.
 *
 * <p>This is the proximal step of a diagonally preconditioned method (ProxGen: Yun, Lozano and
 * Yang, "Adaptive proximal gradient methods for structured neural networks", NeurIPS 2021; also
 * "proximal Adam"): Adam is a gradient step in the metric {@code diag(sqrt(v̂) + ε)/lr}, and the
 * proximal point of {@code λ‖w‖₁} in that metric is the soft-threshold above. λ is therefore in
 * the units of the loss gradient (as for {@code ScheduledL1} and for {@link
 * org.topiary.sparsity.dl4j.conf.ProximalL1} under Sgd), and a weight at zero stays there while
 * Adam's mean gradient satisfies {@code |m̂ᵢ| <= λ}. With Sgd this is exactly {@code ProximalL1}.
 *
 * <pre>{@code
 * MultiLayerNetwork net = ...;                       // Adam, no regularizer on the weights
 * AdaptiveProximalL1 l1 = AdaptiveProximalL1.of(1e-4).attachTo(net);
 * net.fit(trainIter, 10);                            // weights now contain exact zeros
 * }</pre>
 *
 * <p><b>Why a listener and not a regularizer or an updater.</b> ND4J's {@code Regularization}
 * SPI hands a regularizer the weights and the final update but not the updater's {@code v}, so a
 * regularizer can only use the uniform threshold {@code lr·λ} (what {@code ProximalL1} does). An
 * {@code IUpdater} wrapper sees {@code v} but not the weights: {@code GradientUpdater.applyUpdater}
 * receives only the gradient block, and the prox needs {@code w − u}. A listener's {@code
 * iterationDone} runs right after {@code w −= u}, with both the weights and the updater state
 * live, so applying the prox there is the same operation as applying it inside the update. The
 * price: the coefficient is not stored in the network's configuration (attach the listener again
 * after {@code ModelSerializer.restore…}; the updater state it reads is restored with the model),
 * and the penalty {@link #penalty} is not part of DL4J's score.
 *
 * <p><b>Selection.</b> The weights of every layer known to {@link PrunableParams} (never biases),
 * or of the layers named in {@link #onLayers} (names, or indices for a MultiLayerNetwork).
 *
 * @implNote Runs in {@code iterationDone}, so it composes with {@link PruningListener} in either
 *     order: a pruned weight is 0 with zero gradient and zero Adam state, its update is 0 and
 *     {@code prox(0) = 0}. Needs ordinary SGD-type training (a {@code GradientsAccumulator} or
 *     line-search optimizer breaks the step accounting). One listener serves one model.
 */
public final class AdaptiveProximalL1 extends BaseTrainingListener {
    private static final String OWNER = "AdaptiveProximalL1";
    private static final String WORKSPACE_ID = "TOPIARY_ADAPTIVE_PROXIMAL_L1";

    private final ISchedule lambda;
    private final List<String> layers;
    private final PrunableParams registry;
    private final double thresholdCap;
    private final double reweightGamma;
    private Binding binding;
    private INDArray[] reweights;

    private record Binding(Model model, ModelAdapter adapter, List<ParamHandle> params) {}

    private AdaptiveProximalL1(ISchedule lambda, List<String> layers, PrunableParams registry, double thresholdCap,
                               double reweightGamma) {
        this.lambda = Coefficients.check("lambda", lambda);
        this.layers = List.copyOf(layers);
        this.registry = Checks.notNull("registry", registry);
        this.thresholdCap = thresholdCap;
        this.reweightGamma = reweightGamma;
    }

    /** A constant coefficient {@code lambda >= 0}, in units of the loss gradient. */
    public static AdaptiveProximalL1 of(double lambda) {
        return new AdaptiveProximalL1(Coefficients.constant("lambda", lambda), List.of(),
                PrunableParams.defaults(), Double.POSITIVE_INFINITY, 0.0);
    }

    /**
     * A scheduled coefficient (e.g. a {@link org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule}
     * ramp); every value must be {@code >= 0} (checked when used).
     */
    public static AdaptiveProximalL1 of(ISchedule lambda) {
        return new AdaptiveProximalL1(lambda, List.of(), PrunableParams.defaults(), Double.POSITIVE_INFINITY, 0.0);
    }

    /** A copy that regularizes only the weights of these layers (names, or MultiLayerNetwork indices). */
    public AdaptiveProximalL1 onLayers(String... layerNames) {
        Checks.notNull("layerNames", layerNames);
        Checks.isTrue(layerNames.length > 0, "layerNames must name at least one layer, found none");
        return new AdaptiveProximalL1(lambda, List.of(layerNames), registry, thresholdCap, reweightGamma);
    }

    /** A copy that finds weights with this registry (for custom layers). */
    public AdaptiveProximalL1 withRegistry(PrunableParams params) {
        return new AdaptiveProximalL1(lambda, layers, params, thresholdCap, reweightGamma);
    }

    /**
     * A copy whose per-weight threshold is capped at {@code multiple} times the step of a weight
     * with the tensor's mean second moment: {@code tᵢ = λ · min(sᵢ, multiple · s̄)} (see the class
     * comment). {@code Double.POSITIVE_INFINITY} removes the cap.
     *
     * @param multiple {@code k > 0}, dimensionless
     */
    public AdaptiveProximalL1 withThresholdCap(double multiple) {
        Checks.isTrue(multiple > 0 && !Double.isNaN(multiple),
                "thresholdCap must be > 0 (a multiple of the mean-second-moment step; +Infinity for no cap), found %s",
                multiple);
        return new AdaptiveProximalL1(lambda, layers, registry, multiple, reweightGamma);
    }

    /**
     * A copy whose thresholds are multiplied per weight by {@code cᵢ = (|w⁰ᵢ| / mean_j |w⁰_j|)^(−γ)},
     * taken per tensor at the first step with a positive λ (see the class comment). {@code γ = 0}
     * (the default) is no reweighting.
     *
     * @param gamma {@code γ >= 0}, dimensionless
     */
    public AdaptiveProximalL1 withReweighting(double gamma) {
        Checks.isTrue(gamma >= 0 && Double.isFinite(gamma),
                "reweightGamma must be >= 0 and finite (0: no reweighting), found %s", gamma);
        return new AdaptiveProximalL1(lambda, layers, registry, thresholdCap, gamma);
    }

    /** The exponent γ of {@link #withReweighting}, 0 when off. */
    public double reweightGamma() {
        return reweightGamma;
    }

    /**
     * The factors {@code cᵢ} per param id, in the param's memory order (copies), or an empty map
     * before the first step with a positive λ or without reweighting.
     */
    public Map<String, float[]> reweights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (reweights != null) {
            for (int i = 0; i < reweights.length; i++) {
                out.put(binding.params().get(i).id(), reweights[i].toFloatVector());
            }
        }
        return out;
    }

    /** The cap multiple {@code k} of {@link #withThresholdCap}, {@code +Infinity} when uncapped. */
    public double thresholdCap() {
        return thresholdCap;
    }

    /** Binds to {@code model} now, validating the selection, and adds this listener to it. */
    public AdaptiveProximalL1 attachTo(Model model) {
        bind(model);
        model.addListeners(this);
        return this;
    }

    /** The coefficient's schedule. */
    public ISchedule lambda() {
        return lambda;
    }

    /** The layers selected by {@link #onLayers}, or empty for all. */
    public List<String> layers() {
        return layers;
    }

    /** Ids of the regularized params, in model order. */
    public List<String> selectedParamIds() {
        Checks.state(binding != null, "not bound to a model yet: call attachTo(model) or train first");
        return binding.params().stream().map(ParamHandle::id).toList();
    }

    /** The penalty {@code λ(iteration, epoch) · Σ‖W‖₁} over the selected weights (not in DL4J's score). */
    public double penalty(int iteration, int epoch) {
        Checks.state(binding != null, "not bound to a model yet: call attachTo(model) or train first");
        double l = Coefficients.at(lambda, iteration, epoch, OWNER);
        double sum = 0;
        for (ParamHandle p : binding.params()) {
            sum += L1Penalty.value(p.view());
        }
        return l * sum;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        Binding b = bind(model);
        double l = Coefficients.at(lambda, iteration, epoch, OWNER);
        if (!(l > 0.0)) {
            return;
        }
        List<OptimizerSteps.Slot> slots = OptimizerSteps.slots(b.adapter().updater(), b.params(), OWNER);
        if (reweightGamma > 0 && reweights == null) {
            reweights = reference(slots);
        }
        try (MemoryWorkspace ws = OptimizerSteps.openWorkspace(WORKSPACE_ID)) {
            for (int i = 0; i < slots.size(); i++) {
                OptimizerSteps.Slot s = slots.get(i);
                INDArray t = OptimizerSteps.scaledSteps(s, l, iteration, epoch);
                if (thresholdCap != Double.POSITIVE_INFINITY) {
                    Transforms.min(t, thresholdCap * OptimizerSteps.meanMomentStep(s, l, iteration, epoch), false);
                }
                if (reweights != null) {
                    INDArray c = t.rank() == 1 ? reweights[i] : reweights[i].reshape(s.param().ordering(), s.param().shape());
                    t.muli(c.castTo(t.dataType()));
                }
                s.param().assign(L1Penalty.prox(s.param(), t));
            }
        }
    }

    /** {@code cᵢ} of every slot as a detached vector in the param's memory order. */
    private INDArray[] reference(List<OptimizerSteps.Slot> slots) {
        INDArray[] out = new INDArray[slots.size()];
        for (int i = 0; i < out.length; i++) {
            INDArray p = slots.get(i).param();
            double[] w = p.dup(p.ordering()).data().asDouble();
            double mean = 0;
            for (double x : w) {
                mean += Math.abs(x);
            }
            mean /= w.length;
            float[] c = new float[w.length];
            for (int j = 0; j < w.length; j++) {
                c[j] = w[j] == 0.0 || mean == 0.0 ? Float.POSITIVE_INFINITY
                        : (float) Math.pow(Math.abs(w[j]) / mean, -reweightGamma);
            }
            try (MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                out[i] = Nd4j.createFromArray(c).castTo(DataType.FLOAT);
            }
        }
        return out;
    }

    private Binding bind(Model model) {
        if (binding != null) {
            Checks.state(binding.model() == model,
                    "this AdaptiveProximalL1 is bound to another model; create one per model"
                            + " (a clone or a restored copy is another model)");
            return binding;
        }
        ModelAdapter adapter = ModelAdapter.of(model);
        List<ParamHandle> params = WeightSelection.resolve(adapter, layers, registry, OWNER);
        binding = new Binding(model, adapter, List.copyOf(params));
        return binding;
    }

    @Override
    public String toString() {
        return "AdaptiveProximalL1{lambda=" + lambda + (layers.isEmpty() ? "" : ", layers=" + layers)
                + (thresholdCap == Double.POSITIVE_INFINITY ? "" : ", thresholdCap=" + thresholdCap)
                + (reweightGamma == 0 ? "" : ", reweightGamma=" + reweightGamma) + "}";
    }
}
