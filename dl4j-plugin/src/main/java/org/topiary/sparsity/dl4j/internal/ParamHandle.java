package org.topiary.sparsity.dl4j.internal;

import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One prunable parameter of a bound model.
 *
 * <p>Equality is by identity of the live objects: two handles are equal when they have the same
 * id and name the same {@code layer} and {@code view} instances. (The record default would
 * compare the arrays' values, so a handle's hash code would change whenever training changes
 * the weights, and reading it would walk every element.)
 *
 * @param id DL4J's param id: {@code "<layerIndex>_<key>"} (MultiLayerNetwork) or {@code
 *     "<layerName>_<key>"} (ComputationGraph)
 * @param layerName the layer's name (for MultiLayerNetwork its configured name, or its index)
 * @param layerIndex the layer's index in the model's layer array
 * @param layerType simple class name of the layer configuration, e.g. {@code DenseLayer}
 * @param key the param key within the layer, e.g. {@code W}
 * @param layer the runtime layer
 * @param view the live param array (a view into the model's flattened params)
 */
public record ParamHandle(
        String id, String layerName, int layerIndex, String layerType, String key, Layer layer, INDArray view) {

    /** Checks the names (the layer may be absent in tests; the view may not). */
    public ParamHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(layerName, "layerName");
        Objects.requireNonNull(layerType, "layerType");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(view, "view");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamHandle p
                && p.id.equals(id)
                && p.layerName.equals(layerName)
                && p.layerIndex == layerIndex
                && p.layerType.equals(layerType)
                && p.key.equals(key)
                && p.layer == layer
                && p.view == view;
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + System.identityHashCode(view);
    }
}
