package org.topiary.sparsity.dl4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place that knows the difference between MultiLayerNetwork and ComputationGraph: layer
 * enumeration, param ids, gradients and the updater.
 */
public final class ModelAdapter {
    /** A layer of the model as the selection sees it. */
    public record LayerInfo(int index, String name, String type, Layer layer) {}

    private final Model model;
    private final boolean graph;

    private ModelAdapter(Model model, boolean graph) {
        this.model = model;
        this.graph = graph;
    }

    /** Adapts a MultiLayerNetwork or ComputationGraph; other models are an error. */
    public static ModelAdapter of(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return new ModelAdapter(model, false);
        }
        if (model instanceof ComputationGraph) {
            return new ModelAdapter(model, true);
        }
        throw new IllegalArgumentException(
                "Topiary prunes MultiLayerNetwork and ComputationGraph models, found "
                        + (model == null ? "null" : model.getClass().getName()));
    }

    public Model model() {
        return model;
    }

    /** True for a ComputationGraph. */
    public boolean isGraph() {
        return graph;
    }

    /** The layers in the model's own order (MultiLayerNetwork index, ComputationGraph topological). */
    public List<LayerInfo> layers() {
        Layer[] layers = graph ? ((ComputationGraph) model).getLayers() : ((MultiLayerNetwork) model).getLayers();
        List<LayerInfo> out = new ArrayList<>(layers.length);
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            org.deeplearning4j.nn.conf.layers.Layer conf = l.conf().getLayer();
            String name = conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(i);
            int index = graph ? i : l.getIndex();
            out.add(new LayerInfo(index, name, conf.getClass().getSimpleName(), l));
        }
        return out;
    }

    /** DL4J's id of a param: {@code index_key} for MultiLayerNetwork, {@code name_key} for graphs. */
    public String paramId(LayerInfo layer, String key) {
        return (graph ? layer.name() : String.valueOf(layer.index())) + "_" + key;
    }

    /** The layer's params by key (live views). */
    public Map<String, INDArray> paramTable(LayerInfo layer) {
        return layer.layer().paramTable();
    }

    /** The gradient of the current iteration for a param id (a live view), or null. */
    public INDArray gradientFor(String paramId) {
        Gradient g = model.gradient();
        return g == null ? null : g.getGradientFor(paramId);
    }

    /** The model's updater, created if it does not exist yet. */
    public BaseMultiLayerUpdater<?> updater() {
        Object u = graph ? ((ComputationGraph) model).getUpdater(true) : ((MultiLayerNetwork) model).getUpdater(true);
        if (u instanceof BaseMultiLayerUpdater<?> b) {
            return b;
        }
        throw new IllegalStateException(
                "unsupported updater " + (u == null ? "null" : u.getClass().getName())
                        + ": Topiary needs DL4J's MultiLayerUpdater or ComputationGraphUpdater");
    }

    /** The model's flattened params as a 1-D live view. */
    public INDArray flatParams() {
        INDArray p = model.params();
        return p.rank() == 1 ? p : p.reshape(p.length());
    }

    /**
     * The model's flattened gradients as a 1-D live view, or null before the first backward pass
     * (DL4J allocates them lazily).
     */
    public INDArray flatGradients() {
        INDArray g = graph
                ? ((ComputationGraph) model).getFlattenedGradients()
                : ((MultiLayerNetwork) model).getFlattenedGradients();
        if (g == null) {
            return null;
        }
        return g.rank() == 1 ? g : g.reshape(g.length());
    }

    /** The raw flattened gradients array (identity changes only if DL4J re-allocates it). */
    public Object flatGradientsIdentity() {
        return graph
                ? ((ComputationGraph) model).getFlattenedGradients()
                : ((MultiLayerNetwork) model).getFlattenedGradients();
    }

    /**
     * True when an updater param state belongs to {@code param}. A MultiLayerNetwork's updater
     * holds the layer itself; a ComputationGraph's holds the layer's {@code LayerVertex}.
     */
    public static boolean isStateOf(org.deeplearning4j.nn.updater.UpdaterBlock.ParamState ps, ParamHandle param) {
        if (!ps.getParamName().equals(param.key())) {
            return false;
        }
        Object owner = ps.getLayer();
        if (owner == param.layer()) {
            return true;
        }
        return owner instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex v && v.getLayer() == param.layer();
    }

    /** Offset of a param within the flattened params, from the updater's param states. */
    public long offsetOf(ParamHandle param) {
        for (org.deeplearning4j.nn.updater.UpdaterBlock block : updater().getUpdaterBlocks()) {
            for (org.deeplearning4j.nn.updater.UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                if (isStateOf(ps, param)) {
                    long n = ps.getParamOffsetEnd() - ps.getParamOffsetStart();
                    if (n != param.view().length()) {
                        throw new IllegalStateException(
                                "param '" + param.id() + "' has " + param.view().length() + " elements but the updater maps " + n);
                    }
                    return ps.getParamOffsetStart();
                }
            }
        }
        throw new IllegalStateException(
                "param '" + param.id() + "' is not trained by the model's updater (frozen layer?); it cannot be pruned");
    }

    /** The model's iteration count (completed optimizer updates). */
    public long iterationCount() {
        return graph
                ? ((ComputationGraph) model).getConfiguration().getIterationCount()
                : ((MultiLayerNetwork) model).getLayerWiseConfigurations().getIterationCount();
    }
}
