package org.topiary.sparsity.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.dl4j.internal.ParamHandle;
import org.topiary.sparsity.dl4j.internal.WeightSelection;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * A model bound to a group-lasso listener: its adapter, the selected weights and, per weight, its
 * groups of one output unit each (a column of a dense {@code [nIn, nOut]} weight, a filter of a
 * convolution {@code [nOut, nIn, kH, kW]} weight).
 */
record GroupBinding(Model model, ModelAdapter adapter, List<ParamHandle> params, List<Target> targets) {

    /** One selected weight and its output-unit groups. */
    record Target(ParamHandle param, ParamGroups groups) {}

    /**
     * Binds {@code model}: resolves the selected layers' weights and their groups.
     *
     * @throws SelectionException for a weight that is neither dense nor a convolution, naming
     *     {@code owner}, the param and what to do
     */
    static GroupBinding of(Model model, List<String> layers, PrunableParams registry, String owner) {
        ModelAdapter adapter = ModelAdapter.of(model);
        List<ParamHandle> params = WeightSelection.resolve(adapter, layers, registry, owner);
        List<Target> targets = new ArrayList<>();
        for (ParamHandle p : params) {
            INDArray w = p.view();
            int axis = switch (w.rank()) {
                case 2 -> 1;
                case 4 -> 0;
                default -> throw new SelectionException(owner + ": param '" + p.id() + "' has rank " + w.rank()
                        + "; groups are defined for dense [nIn, nOut] and convolution [nOut, nIn, kH, kW] weights."
                        + " Select other layers with onLayers(...)");
            };
            targets.add(new Target(p, ParamGroups.of(w.shape(), w.ordering(), axis)));
        }
        return new GroupBinding(model, adapter, List.copyOf(params), List.copyOf(targets));
    }

    /** Ids of the bound params, in model order; {@code binding} null means "not bound yet". */
    static List<String> paramIds(GroupBinding binding) {
        Checks.state(binding != null, "not bound to a model yet: call attachTo(model) or train first");
        return binding.params().stream().map(ParamHandle::id).toList();
    }

    /** This binding, after checking it is {@code model}'s; the message names {@code owner}. */
    GroupBinding requireModel(Model model, String owner) {
        Checks.state(this.model == model,
                "this " + owner + " is bound to another model; create one per model"
                        + " (a clone or a restored copy is another model)");
        return this;
    }
}
