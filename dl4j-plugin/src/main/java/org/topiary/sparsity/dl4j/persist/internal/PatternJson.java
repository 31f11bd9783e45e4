package org.topiary.sparsity.dl4j.persist.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.dl4j.persist.CorruptModelFileException;
import org.topiary.sparsity.dl4j.persist.TensorPattern;
import org.topiary.sparsity.json.SparsityJson;
import org.topiary.sparsity.structure.SparsityPattern;

/**
 * The pattern metadata of the sparse format version 2:
 *
 * <pre>{@code
 * {"type": "topiary-tensor-patterns", "version": 1,
 *  "tensors": [{"id": "0_W", "pattern": {"type": "n-of-m", "n": 2, "m": 4},
 *               "outputs": 300, "inputs": 784, "layout": "inputs-by-outputs", "exact": true}]}
 * }</pre>
 */
public final class PatternJson {
    public static final String TYPE = "topiary-tensor-patterns";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PatternJson() {}

    /** The patterns as a JSON array tree (for inspection output). */
    public static ArrayNode toArray(List<TensorPattern> patterns) {
        ArrayNode arr = MAPPER.createArrayNode();
        for (TensorPattern t : patterns) {
            ObjectNode n = arr.addObject();
            n.put("id", t.id());
            n.set("pattern", SparsityJson.toTree(t.pattern()));
            n.put("outputs", t.outputs());
            n.put("inputs", t.inputs());
            n.put("layout", t.layout());
            n.put("exact", t.exact());
        }
        return arr;
    }

    /** The metadata document as UTF-8 bytes. */
    public static byte[] encode(List<TensorPattern> patterns) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", TYPE);
        root.put("version", 1);
        root.set("tensors", toArray(patterns));
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not write the pattern metadata", e);
        }
    }

    /** Reads the metadata document. */
    public static List<TensorPattern> decode(Path file, byte[] bytes) throws CorruptModelFileException {
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw corrupt(file, "is not valid JSON", e);
        }
        if (root == null || !TYPE.equals(root.path("type").asText()) || root.path("version").asInt() != 1) {
            throw corrupt(file, "is not a version 1 '" + TYPE + "' document", null);
        }
        try {
            List<TensorPattern> out = new ArrayList<>();
            for (JsonNode n : root.path("tensors")) {
                SparsityPattern p = SparsityJson.patternFromJson(n.path("pattern").toString());
                String layout = n.path("layout").asText();
                if (!layout.equals("inputs-by-outputs") && !layout.equals("outputs-by-inputs")) {
                    throw new IllegalArgumentException("unknown layout '" + layout + "'");
                }
                out.add(new TensorPattern(n.path("id").asText(), p, n.path("outputs").asLong(), n.path("inputs").asLong(),
                        layout.equals("outputs-by-inputs"), n.path("exact").asBoolean()));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "is invalid (" + e.getMessage() + ")", e);
        }
    }

    private static CorruptModelFileException corrupt(Path file, String what, Throwable cause) {
        return new CorruptModelFileException(file, "pattern metadata " + what + "; export the model again", cause);
    }
}
