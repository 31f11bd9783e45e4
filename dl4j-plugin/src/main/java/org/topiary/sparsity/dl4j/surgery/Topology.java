package org.topiary.sparsity.dl4j.surgery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A MultiLayerNetwork or ComputationGraph as one graph of nodes in topological order: network
 * inputs, layers (id = the param-key prefix: the layer index for a MultiLayerNetwork, the vertex
 * name for a ComputationGraph) and merge / element-wise vertices.
 */
final class Topology {

    /** What a node does to the channels (features, filters) of its input. */
    enum Kind {
        INPUT,
        DENSE,
        OUTPUT,
        CONV,
        BATCHNORM,
        ACTIVATION,
        DROPOUT,
        POOL,
        GLOBAL_POOL,
        MERGE,
        ELEMENTWISE;

        /** Layers that own units: outgoing channels are their neurons or filters. */
        boolean producesUnits() {
            return this == DENSE || this == CONV;
        }

        /** Layers that multiply their input by a weight matrix or kernel and add a bias. */
        boolean absorbs() {
            return this == DENSE || this == OUTPUT || this == CONV;
        }

        /** Nodes whose output channel j depends only on input channel j (one or more inputs). */
        boolean channelWise() {
            return this == BATCHNORM
                    || this == ACTIVATION
                    || this == DROPOUT
                    || this == POOL
                    || this == GLOBAL_POOL
                    || this == ELEMENTWISE;
        }
    }

    /** One node: a layer (with its configuration, preprocessor and instance) or a vertex. */
    record Node(
            String id,
            Kind kind,
            List<String> inputs,
            Layer conf,
            InputPreProcessor pre,
            org.deeplearning4j.nn.api.Layer impl,
            ElementWiseVertex.Op op) {

        String describe() {
            String what = conf != null ? conf.getClass().getSimpleName()
                    : kind == Kind.MERGE ? "MergeVertex" : kind == Kind.ELEMENTWISE ? "ElementWiseVertex " + op : "input";
            return "'" + id + "' (" + what + ")";
        }
    }

    static final String MLN_INPUT = "input";

    private final Model model;
    private final List<Node> order;
    private final Map<String, Node> byId;
    private final Set<String> outputs;
    private final Map<String, List<String>> consumers;

    private Topology(Model model, List<Node> order, Set<String> outputs) {
        this.model = model;
        this.order = List.copyOf(order);
        this.outputs = Set.copyOf(outputs);
        Map<String, Node> ids = new LinkedHashMap<>();
        Map<String, List<String>> cons = new HashMap<>();
        for (Node n : order) {
            ids.put(n.id(), n);
            cons.put(n.id(), new ArrayList<>());
        }
        for (Node n : order) {
            for (String in : new LinkedHashSet<>(n.inputs())) {
                cons.get(in).add(n.id());
            }
        }
        this.byId = ids;
        this.consumers = cons;
    }

    static Topology of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return ofNetwork(net);
        }
        if (model instanceof ComputationGraph cg) {
            return ofGraph(cg);
        }
        throw new IllegalArgumentException(
                "model must be a MultiLayerNetwork or a ComputationGraph, found " + (model == null ? "null" : model.getClass().getName()));
    }

    private static Topology ofNetwork(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node(MLN_INPUT, Kind.INPUT, List.of(), null, null, null, null));
        String previous = MLN_INPUT;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            String id = String.valueOf(i);
            Layer layer = conf.getConf(i).getLayer();
            nodes.add(new Node(id, kindOf(id, layer), List.of(previous), layer, conf.getInputPreProcess(i), net.getLayer(i), null));
            previous = id;
        }
        return new Topology(net, nodes, Set.of(previous));
    }

    private static Topology ofGraph(ComputationGraph cg) {
        ComputationGraphConfiguration conf = cg.getConfiguration();
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (String in : conf.getNetworkInputs()) {
            nodes.put(in, new Node(in, Kind.INPUT, List.of(), null, null, null, null));
        }
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            String id = e.getKey();
            List<String> inputs = List.copyOf(conf.getVertexInputs().getOrDefault(id, List.of()));
            GraphVertex v = e.getValue();
            Node node;
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                node = new Node(id, kindOf(id, layer), inputs, layer, lv.getPreProcessor(), cg.getLayer(id), null);
            } else if (v.getClass() == MergeVertex.class) {
                node = new Node(id, Kind.MERGE, inputs, null, null, null, null);
            } else if (v.getClass() == ElementWiseVertex.class) {
                node = new Node(id, Kind.ELEMENTWISE, inputs, null, null, null, ((ElementWiseVertex) v).getOp());
            } else {
                throw new UnsupportedLayerException(id, v.getClass().getSimpleName());
            }
            nodes.put(id, node);
        }
        return new Topology(cg, sort(nodes), Set.copyOf(conf.getNetworkOutputs()));
    }

    private static List<Node> sort(Map<String, Node> nodes) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> users = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (Node n : nodes.values()) {
            pending.put(n.id(), n.inputs().size());
            for (String in : n.inputs()) {
                users.computeIfAbsent(in, k -> new ArrayList<>()).add(n.id());
            }
            if (n.inputs().isEmpty()) {
                ready.add(n.id());
            }
        }
        List<Node> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(nodes.get(id));
            for (String u : users.getOrDefault(id, List.of())) {
                if (pending.merge(u, -1, Integer::sum) == 0) {
                    ready.add(u);
                }
            }
        }
        if (order.size() != nodes.size()) {
            throw new IllegalArgumentException("the ComputationGraph configuration has a cycle or a missing input vertex");
        }
        return order;
    }

    private static Kind kindOf(String id, Layer layer) {
        Class<?> c = layer.getClass();
        if (c == DenseLayer.class) {
            return Kind.DENSE;
        }
        if (c == OutputLayer.class) {
            return Kind.OUTPUT;
        }
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            if (conv.getKernelSize().length != 2 || conv.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
                throw new UnsupportedLayerException(id, c.getSimpleName() + " with an NHWC or non-2-D layout");
            }
            return Kind.CONV;
        }
        if (c == BatchNormalization.class) {
            if (((BatchNormalization) layer).getCnn2DFormat() == CNN2DFormat.NHWC) {
                throw new UnsupportedLayerException(id, "BatchNormalization with the NHWC layout");
            }
            return Kind.BATCHNORM;
        }
        if (c == ActivationLayer.class) {
            return Kind.ACTIVATION;
        }
        if (c == DropoutLayer.class) {
            return Kind.DROPOUT;
        }
        if (c == SubsamplingLayer.class) {
            if (((SubsamplingLayer) layer).getCnn2dDataFormat() == CNN2DFormat.NHWC) {
                throw new UnsupportedLayerException(id, "SubsamplingLayer with the NHWC layout");
            }
            return Kind.POOL;
        }
        if (c == GlobalPoolingLayer.class) {
            return Kind.GLOBAL_POOL;
        }
        throw new UnsupportedLayerException(id, c.getSimpleName());
    }

    Model model() {
        return model;
    }

    List<Node> order() {
        return order;
    }

    Node node(String id) {
        return byId.get(id);
    }

    boolean isOutput(String id) {
        return outputs.contains(id);
    }

    List<String> consumers(String id) {
        return consumers.get(id);
    }

    boolean isGraph() {
        return model instanceof ComputationGraph;
    }
}
