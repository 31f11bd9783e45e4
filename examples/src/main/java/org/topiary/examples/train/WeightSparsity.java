package org.topiary.examples.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.CountNonZero;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the sparsity of a network's prunable weights.
 *
 * <p>A parameter is prunable when the layer's parameter initializer says it is a weight ({@code
 * ParamInitializer.isWeightParam}): {@code W} of dense, output and convolution layers, for
 * example; never biases, batch-norm statistics or layer-norm gains. An entry counts as zero only
 * if it is exactly {@code 0.0}.
 *
 * <p>This is the only place the examples decide what "prunable" means; swap it for the pruning
 * plugin's own report ({@code PruningListener.report()}) when runs should count exactly the
 * tensors the plugin selected.
 */
public final class WeightSparsity {

    private WeightSparsity() {}

    /**
     * Measures a network.
     *
     * @param net an initialised network
     * @return per-parameter and total counts
     */
    public static SparsityReport measure(MultiLayerNetwork net) {
        List<LayerSparsity> layers = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            String name = conf.getLayerName() != null ? conf.getLayerName() : "layer" + layer.getIndex();
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                if (!conf.initializer().isWeightParam(conf, p.getKey())) {
                    continue;
                }
                INDArray w = p.getValue();
                layers.add(
                        new LayerSparsity(
                                layer.getIndex() + "_" + p.getKey(),
                                name,
                                conf.getClass().getSimpleName(),
                                Arrays.stream(w.shape()).boxed().toList(),
                                countNonZero(w)));
            }
        }
        INDArray all = net.params();
        return new SparsityReport(layers, all.length(), countNonZero(all));
    }

    /** Entries of {@code array} that are not exactly zero. */
    static long countNonZero(INDArray array) {
        return Nd4j.getExecutioner().exec(new CountNonZero(array)).getLong(0);
    }
}
