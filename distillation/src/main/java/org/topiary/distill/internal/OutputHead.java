package org.topiary.distill.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The single output layer of a MultiLayerNetwork or ComputationGraph: its name, configuration,
 * width, activation and loss. Also the one place that tells the two model kinds apart.
 */
public final class OutputHead {
    private final Model model;
    private final String name;
    private final Layer conf;

    private OutputHead(Model model, String name, Layer conf) {
        this.model = model;
        this.name = name;
        this.conf = conf;
    }

    /**
     * The output layer of {@code model}.
     *
     * @param role how the model is called in error messages, e.g. "student" or "teacher"
     * @throws IllegalArgumentException if the model is neither kind, a graph has several outputs,
     *     or the output is not a layer with an activation
     */
    public static OutputHead of(Model model, String role) {
        if (model instanceof MultiLayerNetwork net) {
            int last = net.getnLayers() - 1;
            Layer conf = net.getLayerWiseConfigurations().getConf(last).getLayer();
            String name = conf.getLayerName() != null ? conf.getLayerName() : String.valueOf(last);
            return checked(new OutputHead(model, name, conf), role);
        }
        if (model instanceof ComputationGraph cg) {
            List<String> outputs = cg.getConfiguration().getNetworkOutputs();
            if (outputs.size() != 1) {
                throw new IllegalArgumentException(
                        "the " + role + " graph has " + outputs.size() + " outputs " + outputs
                                + "; distillation needs a single classification output");
            }
            return ofGraphOutput(cg, outputs.get(0), role);
        }
        throw new IllegalArgumentException(
                "the " + role + " must be a MultiLayerNetwork or a ComputationGraph, found "
                        + (model == null ? "null" : model.getClass().getName()));
    }

    /** The output layer {@code name} of a graph that may have several outputs. */
    public static OutputHead ofGraphOutput(ComputationGraph cg, String name, String role) {
        org.deeplearning4j.nn.api.Layer layer = layerOrNull(cg, name);
        if (layer == null) {
            throw new IllegalArgumentException(
                    "the " + role + " graph's output '" + name + "' is a vertex, not a layer;"
                            + " distillation needs an output layer (OutputLayer or LossLayer)");
        }
        return checked(new OutputHead(cg, name, layer.conf().getLayer()), role);
    }

    /** The layer called {@code name}, or null if there is none (or it is a non-layer vertex). */
    public static org.deeplearning4j.nn.api.Layer layerOrNull(ComputationGraph cg, String name) {
        for (org.deeplearning4j.nn.api.Layer l : cg.getLayers()) {
            if (name.equals(l.conf().getLayer().getLayerName())) {
                return l;
            }
        }
        return null;
    }

    private static OutputHead checked(OutputHead h, String role) {
        if (!(h.conf instanceof BaseLayer)) {
            throw new IllegalArgumentException(
                    "the " + role + "'s output layer '" + h.name + "' (" + h.typeName()
                            + ") has no activation; distillation needs an OutputLayer or LossLayer");
        }
        return h;
    }

    public Model model() {
        return model;
    }

    /** The layer's name (a MultiLayerNetwork layer without a name is called by its index). */
    public String name() {
        return name;
    }

    /** The layer configuration, shared with the model (changes take effect at once). */
    public Layer conf() {
        return conf;
    }

    /** Simple class name of the layer configuration, e.g. {@code OutputLayer}. */
    public String typeName() {
        return conf.getClass().getSimpleName();
    }

    /** Output width (nOut), or -1 if the configuration does not say. */
    public long width() {
        if (conf instanceof FeedForwardLayer ff && ff.getNOut() > 0) {
            return ff.getNOut();
        }
        return -1;
    }

    public IActivation activation() {
        return ((BaseLayer) conf).getActivationFn();
    }

    public void setActivation(IActivation activation) {
        ((BaseLayer) conf).setActivationFn(activation);
    }

    /** The loss, or null if the layer has none. */
    public ILossFunction loss() {
        if (conf instanceof BaseOutputLayer o) {
            return o.getLossFn();
        }
        if (conf instanceof LossLayer l) {
            return l.getLossFn();
        }
        return null;
    }

    public void setLoss(ILossFunction loss) {
        if (conf instanceof BaseOutputLayer o) {
            o.setLossFn(loss);
        } else if (conf instanceof LossLayer l) {
            l.setLossFn(loss);
        } else {
            throw new IllegalArgumentException(
                    "layer '" + name + "' (" + typeName() + ") has no loss function; distillation needs an"
                            + " OutputLayer, RnnOutputLayer or LossLayer as the output");
        }
    }

    /** "Layer 'out' (OutputLayer)". */
    public String describe() {
        return "layer '" + name + "' (" + typeName() + ")";
    }

    /** The model's listeners (a copy). */
    public static List<TrainingListener> listeners(Model model) {
        Collection<TrainingListener> ls =
                model instanceof MultiLayerNetwork n ? n.getListeners() : ((ComputationGraph) model).getListeners();
        return ls == null ? new ArrayList<>() : new ArrayList<>(ls);
    }
}
