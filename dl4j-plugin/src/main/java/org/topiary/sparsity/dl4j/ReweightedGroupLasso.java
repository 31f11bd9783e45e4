package org.topiary.sparsity.dl4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.schedule.ISchedule;
import org.topiary.sparsity.dl4j.internal.Coefficients;
import org.topiary.sparsity.dl4j.internal.OptimizerSteps;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.GroupLassoPenalty;

/**
 * Proximal group lasso over output neurons (dense weights) and filters (convolution weights)
 * whose coefficient is reweighted per group by the group's norm at the moment the penalty starts:
 * the adaptive group lasso of Wang and Leng (2008, "A note on adaptive group lasso"), after Zou's
 * adaptive lasso (2006). Groups that are large when the penalty starts are pulled less, small
 * ones more, so the selection leans towards a magnitude ranking of the neurons and the survivors
 * are shrunk less than by the plain group lasso.
 *
 * <pre>
 *   c_g = (‖w⁰_g‖₂ / mean_h ‖w⁰_h‖₂)^(−γ)      per tensor; h over its groups with a non-zero norm
 *   w_g ← z_g · max(0, 1 − lr·λ·c_g·sqrt(p) / ‖z_g‖₂),   z = w − u (the weights after the update)
 * </pre>
 *
 * <p>{@code w⁰} are the weights after the update of the first step at which λ is positive (so a
 * schedule that is 0 for the first epoch takes the reference from a network trained for one
 * epoch), and the weights {@code c_g} are fixed from then on; a group that is all zero at that
 * moment gets {@code c_g = +∞} and stays zero (for {@code γ > 0}). The mean normalisation keeps a
 * group of average norm at {@code c_g = 1}, so λ has the meaning it has for the plain form, and
 * {@code γ = 0} is exactly {@link org.topiary.sparsity.dl4j.conf.ProximalGroupLasso} (threshold
 * {@code lr·λ} per step under any of the supported updaters, also Adam; p = group size, the
 * {@link GroupLassoPenalty} weighting). Units: λ per unit of learning rate as for that regularizer,
 * γ dimensionless.
 *
 * <p>Why a listener: the weights {@code c_g} are state taken from the trained network, which a
 * {@code Regularization} stored in the configuration cannot hold; {@code iterationDone} runs right
 * after {@code w −= u}, so the prox there is the same operation as a post-updater regularizer (see
 * {@link AdaptiveProximalL1} for the composition with {@link PruningListener}). The weights are
 * not saved with the model: attach a new listener after a restore (it takes a new reference).
 *
 * <pre>{@code
 * ISchedule lambda = PiecewiseLinearSchedule.of(ScheduleType.ITERATION,
 *         new int[] {469, 469, 1407, 1407}, new double[] {0, 0.1, 0.1, 0}); // epochs 2-3
 * ReweightedGroupLasso.of(lambda, 1.0).onLayers("fc1", "fc2").attachTo(net);
 * }</pre>
 *
 * @implNote Reads the learning rate from the updater of each param (Adam, Sgd or Nesterovs). One
 *     listener serves one model.
 */
public final class ReweightedGroupLasso extends BaseTrainingListener {
    private static final String OWNER = "ReweightedGroupLasso";
    private static final String WORKSPACE_ID = "TOPIARY_REWEIGHTED_GROUP_LASSO";

    private final ISchedule lambda;
    private final double gamma;
    private final List<String> layers;
    private final PrunableParams registry;
    private GroupBinding binding;
    private double[][] groupWeights;

    private ReweightedGroupLasso(ISchedule lambda, double gamma, List<String> layers, PrunableParams registry) {
        this.lambda = Coefficients.check("lambda", lambda);
        Checks.isTrue(gamma >= 0 && Double.isFinite(gamma),
                "gamma must be >= 0 and finite (0: the plain group lasso, 1: weights inversely proportional to"
                        + " the group norm), found %s", gamma);
        this.gamma = gamma;
        this.layers = List.copyOf(layers);
        this.registry = Checks.notNull("registry", registry);
    }

    /** A constant coefficient {@code lambda >= 0} and reweighting exponent {@code gamma >= 0}. */
    public static ReweightedGroupLasso of(double lambda, double gamma) {
        return new ReweightedGroupLasso(Coefficients.constant("lambda", lambda), gamma, List.of(),
                PrunableParams.defaults());
    }

    /**
     * A scheduled coefficient (every value {@code >= 0}, checked when used); the reference norms
     * are taken at its first positive value.
     */
    public static ReweightedGroupLasso of(ISchedule lambda, double gamma) {
        return new ReweightedGroupLasso(lambda, gamma, List.of(), PrunableParams.defaults());
    }

    /** A copy that acts only on these layers (names, or MultiLayerNetwork indices). */
    public ReweightedGroupLasso onLayers(String... layerNames) {
        Checks.notNull("layerNames", layerNames);
        Checks.isTrue(layerNames.length > 0, "layerNames must name at least one layer, found none");
        return new ReweightedGroupLasso(lambda, gamma, List.of(layerNames), registry);
    }

    /** A copy that finds weights with this registry (for custom layers). */
    public ReweightedGroupLasso withRegistry(PrunableParams params) {
        return new ReweightedGroupLasso(lambda, gamma, layers, params);
    }

    /** Binds to {@code model} now, validating the selection, and adds this listener to it. */
    public ReweightedGroupLasso attachTo(Model model) {
        bind(model);
        model.addListeners(this);
        return this;
    }

    /** The coefficient's schedule. */
    public ISchedule lambda() {
        return lambda;
    }

    /** The reweighting exponent γ. */
    public double gamma() {
        return gamma;
    }

    /** Ids of the regularized params, in model order. */
    public List<String> selectedParamIds() {
        return GroupBinding.paramIds(binding);
    }

    /**
     * The weights {@code c_g} per param id (copies), or an empty map before the first step with a
     * positive λ.
     */
    public Map<String, double[]> groupWeights() {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (groupWeights != null) {
            for (int i = 0; i < groupWeights.length; i++) {
                out.put(binding.targets().get(i).param().id(), groupWeights[i].clone());
            }
        }
        return out;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        GroupBinding b = bind(model);
        double l = Coefficients.at(lambda, iteration, epoch, OWNER);
        if (!(l > 0.0)) {
            return;
        }
        if (groupWeights == null) {
            groupWeights = reference(b);
        }
        List<OptimizerSteps.Slot> slots = OptimizerSteps.slots(b.adapter().updater(), b.params(), OWNER);
        try (MemoryWorkspace ws = OptimizerSteps.openWorkspace(WORKSPACE_ID)) {
            for (int i = 0; i < slots.size(); i++) {
                OptimizerSteps.Slot s = slots.get(i);
                double t = s.config().getLearningRate(iteration, epoch) * l;
                s.param().assign(GroupLassoPenalty.prox(s.param(), b.targets().get(i).groups(), t, groupWeights[i]));
            }
        }
    }

    private double[][] reference(GroupBinding b) {
        double[][] out = new double[b.targets().size()][];
        for (int i = 0; i < out.length; i++) {
            GroupBinding.Target t = b.targets().get(i);
            double[] norms = t.groups().norms(t.param().view()).toDoubleVector();
            double sum = 0;
            int live = 0;
            for (double n : norms) {
                if (n > 0) {
                    sum += n;
                    live++;
                }
            }
            double mean = live > 0 ? sum / live : 0.0;
            double[] c = new double[norms.length];
            for (int g = 0; g < norms.length; g++) {
                c[g] = gamma == 0.0 ? 1.0 : norms[g] > 0 ? Math.pow(norms[g] / mean, -gamma) : Double.POSITIVE_INFINITY;
            }
            out[i] = c;
        }
        return out;
    }

    private GroupBinding bind(Model model) {
        if (binding == null) {
            binding = GroupBinding.of(model, layers, registry, OWNER);
        }
        return binding.requireModel(model, OWNER);
    }

    @Override
    public String toString() {
        return "ReweightedGroupLasso{lambda=" + lambda + ", gamma=" + gamma
                + (layers.isEmpty() ? "" : ", layers=" + layers) + "}";
    }
}
