package org.topiary.sparsity.dl4j.persist.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.topiary.sparsity.dl4j.persist.CorruptModelFileException;

/** MultiLayerNetwork / ComputationGraph differences that persistence needs. */
public final class Dl4jModels {
    public static final String MLN = "MultiLayerNetwork";
    public static final String CG = "ComputationGraph";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Dl4jModels() {}

    public static String kind(Model model) {
        if (model instanceof MultiLayerNetwork) {
            return MLN;
        }
        if (model instanceof ComputationGraph) {
            return CG;
        }
        throw new IllegalArgumentException(
                "Topiary saves MultiLayerNetwork and ComputationGraph models, found "
                        + (model == null ? "null" : model.getClass().getName()));
    }

    /** Which kind of model a DL4J configuration JSON describes. */
    public static String kindOfConfigJson(Path file, byte[] json) throws CorruptModelFileException {
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new CorruptModelFileException(file, ModelZip.CONFIGURATION + " is not valid JSON; the file is damaged", e);
        }
        if (root != null && root.has("vertices")) {
            return CG;
        }
        if (root != null && root.has("confs")) {
            return MLN;
        }
        throw new CorruptModelFileException(
                file, ModelZip.CONFIGURATION + " is neither a MultiLayerNetwork nor a ComputationGraph configuration");
    }

    public static long iterationCount(Model m) {
        return m instanceof ComputationGraph g ? g.getConfiguration().getIterationCount() : ((MultiLayerNetwork) m).getLayerWiseConfigurations().getIterationCount();
    }

    public static long epochCount(Model m) {
        return m instanceof ComputationGraph g ? g.getConfiguration().getEpochCount() : ((MultiLayerNetwork) m).getLayerWiseConfigurations().getEpochCount();
    }

    public static void setCounts(Model m, int iteration, int epoch) {
        if (m instanceof ComputationGraph g) {
            g.getConfiguration().setIterationCount(iteration);
            g.getConfiguration().setEpochCount(epoch);
        } else {
            MultiLayerConfiguration c = ((MultiLayerNetwork) m).getLayerWiseConfigurations();
            c.setIterationCount(iteration);
            c.setEpochCount(epoch);
        }
    }

    public static List<TrainingListener> listeners(Model m) {
        Collection<TrainingListener> l = m instanceof ComputationGraph g ? g.getListeners() : ((MultiLayerNetwork) m).getListeners();
        return l == null ? List.of() : new ArrayList<>(l);
    }

    public static String configJson(Model m) {
        return m instanceof ComputationGraph g ? g.getConfiguration().toJson() : ((MultiLayerNetwork) m).getLayerWiseConfigurations().toJson();
    }

    /** A new, initialised model from a configuration JSON (random params). */
    public static Model fromConfigJson(String kind, String json) {
        if (CG.equals(kind)) {
            ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
            g.init();
            return g;
        }
        MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        n.init();
        return n;
    }
}
