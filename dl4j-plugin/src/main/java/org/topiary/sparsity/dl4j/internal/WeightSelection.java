package org.topiary.sparsity.dl4j.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.SelectionException;

/** The weights of the layers a listener is asked to act on: all known layers, or named ones. */
public final class WeightSelection {
    private WeightSelection() {}

    /**
     * The params {@code registry} knows, of every layer or of the layers named in {@code layers}
     * (names, or indices for a MultiLayerNetwork), in model order.
     *
     * @throws SelectionException naming {@code owner} if a name matches no layer or nothing is selected
     */
    public static List<ParamHandle> resolve(ModelAdapter adapter, List<String> layers, PrunableParams registry, String owner) {
        List<ParamHandle> params = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> matched = new LinkedHashSet<>();
        for (ModelAdapter.LayerInfo l : adapter.layers()) {
            names.add(l.name());
            boolean selected = layers.isEmpty();
            for (String sel : layers) {
                if (sel.equals(l.name()) || (!adapter.isGraph() && sel.equals(String.valueOf(l.index())))) {
                    selected = true;
                    matched.add(sel);
                }
            }
            if (!selected) {
                continue;
            }
            Map<String, INDArray> table = adapter.paramTable(l);
            for (String key : registry.keysFor(l.layer().conf().getLayer())) {
                INDArray view = table.get(key);
                if (view != null) {
                    params.add(new ParamHandle(adapter.paramId(l, key), l.name(), l.index(), l.type(), key, l.layer(), view));
                }
            }
        }
        for (String sel : layers) {
            if (!matched.contains(sel)) {
                throw new SelectionException(owner + ": layer '" + sel + "' (in layers) matches no layer of the model; layers: "
                        + names);
            }
        }
        if (params.isEmpty()) {
            throw new SelectionException(owner + ": the selection " + (layers.isEmpty() ? "(all layers)" : layers)
                    + " has no weights to regularize; layers: " + names
                    + ". Register custom layers with PrunableParams.with(...) and withRegistry(...)");
        }
        return List.copyOf(params);
    }
}
