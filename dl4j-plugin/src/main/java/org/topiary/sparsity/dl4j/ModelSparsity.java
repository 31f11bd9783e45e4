package org.topiary.sparsity.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;

/**
 * Measures exact-zero sparsity of every prunable param of any MultiLayerNetwork or
 * ComputationGraph, with or without a pruning listener (a dense model, a restored file).
 */
public final class ModelSparsity {
    private ModelSparsity() {}

    /** The prunable params of {@code model} by the default registry, in model order. */
    public static SparsityReport report(Model model) {
        return report(model, PrunableParams.defaults());
    }

    /** The prunable params of {@code model} by {@code registry}, in model order. */
    public static SparsityReport report(Model model, PrunableParams registry) {
        ModelAdapter adapter = ModelAdapter.of(model);
        List<TensorSparsity> rows = new ArrayList<>();
        for (ModelAdapter.LayerInfo l : adapter.layers()) {
            for (String key : registry.keysFor(l.layer().conf().getLayer())) {
                INDArray view = adapter.paramTable(l).get(key);
                if (view != null) {
                    rows.add(TensorSparsity.measure(adapter.paramId(l, key), view, 0L));
                }
            }
        }
        return SparsityReport.of(rows);
    }
}
