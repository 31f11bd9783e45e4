package org.topiary.sparsity.dl4j.persist.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Removes Topiary classes from a DL4J configuration JSON so that vanilla DL4J can read it. DL4J
 * stores extension objects with their class name in {@code "@class"}. Elements of lists
 * (regularization, constraints) and training-only single objects (weight noise, dropout) whose
 * class is a Topiary class are dropped; they do not change inference. Any other Topiary class
 * (a custom layer, vertex, activation or loss) is an error naming its JSON path.
 */
public final class ConfigCleaner {
    private static final String PREFIX = "org.topiary.";
    private static final Set<String> DROPPABLE_FIELDS = Set.of("weightNoise", "idropout", "iDropout", "dropOut");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigCleaner() {}

    public static String removeTopiaryClasses(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the DL4J configuration is not valid JSON: " + e.getMessage(), e);
        }
        clean(root, "$");
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private static boolean isTopiary(JsonNode n) {
        return n != null && n.isObject() && n.path("@class").asText("").startsWith(PREFIX);
    }

    private static void clean(JsonNode n, String path) {
        if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = a.size() - 1; i >= 0; i--) {
                if (isTopiary(a.get(i))) {
                    a.remove(i);
                }
            }
            for (int i = 0; i < a.size(); i++) {
                clean(a.get(i), path + "[" + i + "]");
            }
        } else if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = o.get(name);
                if (isTopiary(v)) {
                    if (DROPPABLE_FIELDS.contains(name)) {
                        o.putNull(name);
                        continue;
                    }
                    throw new IllegalArgumentException(
                            path + "." + name + " uses the Topiary class " + v.get("@class").asText()
                                    + ", which vanilla DL4J cannot load and which cannot be dropped without changing the model;"
                                    + " rebuild the model with a DL4J equivalent before stripping");
                }
                clean(v, path + "." + name);
            }
        }
    }

    /** Fully qualified Topiary class names used anywhere in {@code json}. */
    public static List<String> topiaryClasses(String json) {
        List<String> out = new ArrayList<>();
        try {
            collect(MAPPER.readTree(json), out);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the DL4J configuration is not valid JSON: " + e.getMessage(), e);
        }
        return out;
    }

    private static void collect(JsonNode n, List<String> out) {
        if (isTopiary(n)) {
            out.add(n.get("@class").asText());
        }
        if (n.isContainerNode()) {
            if (n.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    collect(it.next().getValue(), out);
                }
            } else {
                n.forEach(c -> collect(c, out));
            }
        }
    }
}
