package org.topiary.sparsity.dl4j.persist.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.dl4j.persist.CorruptModelFileException;
import org.topiary.sparsity.dl4j.persist.UnsupportedFormatVersionException;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.json.ConfigFormatException;
import org.topiary.sparsity.json.SparsityJson;

/**
 * The {@code topiary/pruning.json} entry: the pruning configuration in Topiary's own JSON ({@link
 * SparsityJson}, no Java class names), the masks' ids and shapes (their bits are in {@link
 * MaskCodec#ENTRY}), and the history of mask updates.
 *
 * <pre>{@code
 * {"type": "topiary-pruning-state", "version": 1,
 *  "model": "MultiLayerNetwork", "iteration": 120, "epoch": 1,
 *  "config": {"type": "topiary-pruning", "version": 1, ...},
 *  "masks": [{"id": "0_W", "shape": [784, 300], "kept": 23520}],
 *  "history": [{"step": 100, "target": 0.5, "achieved": 0.5}]}
 * }</pre>
 */
public final class StateJson {
    public static final String ENTRY = "topiary/pruning.json";
    public static final String TYPE = "topiary-pruning-state";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StateJson() {}

    /** What the entry holds besides the masks' bits. */
    public record Header(String model, long iteration, long epoch, PruningConfig config,
                         Map<String, long[]> maskShapes, Map<String, Long> maskKept, List<SparsityEvent> history) {}

    public static byte[] encode(PruningState state, String modelKind, long iteration, long epoch) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", TYPE);
        root.put("version", VERSION);
        root.put("model", modelKind);
        root.put("iteration", iteration);
        root.put("epoch", epoch);
        root.set("config", SparsityJson.toTree(state.config()));
        ArrayNode masks = root.putArray("masks");
        for (Map.Entry<String, INDArray> e : state.masks().entrySet()) {
            ObjectNode m = masks.addObject();
            m.put("id", e.getKey());
            ArrayNode shape = m.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            m.put("kept", Arrays4j.countNonZero(e.getValue()));
        }
        ArrayNode history = root.putArray("history");
        for (SparsityEvent ev : state.history()) {
            ObjectNode h = history.addObject();
            h.put("step", ev.step());
            h.put("target", ev.target());
            h.put("achieved", ev.achieved());
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not write the pruning state as JSON", e);
        }
    }

    public static Header decode(Path file, byte[] data) throws CorruptModelFileException, UnsupportedFormatVersionException {
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(data, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw corrupt(file, "is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "must be a JSON object", null);
        }
        String type = root.path("type").asText(null);
        if (!TYPE.equals(type)) {
            throw corrupt(file, "$.type must be '" + TYPE + "', found " + root.get("type"), null);
        }
        JsonNode v = root.get("version");
        if (v == null || !v.isIntegralNumber()) {
            throw corrupt(file, "$.version must be a whole number, found " + v, null);
        }
        if (v.asLong() < 1 || v.asLong() > VERSION) {
            throw new UnsupportedFormatVersionException(file, "entry " + ENTRY, v.asLong(), VERSION);
        }
        String model = text(file, root, "model");
        long iteration = whole(file, root, "iteration");
        long epoch = whole(file, root, "epoch");
        PruningConfig config;
        try {
            config = SparsityJson.configFromTree(root.get("config"));
        } catch (ConfigFormatException e) {
            throw corrupt(file, "has an invalid pruning configuration: " + e.getMessage().replaceFirst("^\\$", "\\$.config"), e);
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Long> kept = new LinkedHashMap<>();
        JsonNode masks = root.get("masks");
        if (masks == null || !masks.isArray()) {
            throw corrupt(file, "$.masks must be an array, found " + masks, null);
        }
        for (int i = 0; i < masks.size(); i++) {
            JsonNode m = masks.get(i);
            String id = text(file, m, "id");
            JsonNode s = m.get("shape");
            if (s == null || !s.isArray() || s.isEmpty()) {
                throw corrupt(file, "$.masks[" + i + "].shape must be a non-empty array, found " + s, null);
            }
            long[] shape = new long[s.size()];
            for (int j = 0; j < shape.length; j++) {
                shape[j] = s.get(j).asLong(-1);
            }
            shapes.put(id, shape);
            kept.put(id, whole(file, m, "kept"));
        }
        List<SparsityEvent> history = new ArrayList<>();
        JsonNode h = root.get("history");
        if (h == null || !h.isArray()) {
            throw corrupt(file, "$.history must be an array, found " + h, null);
        }
        for (JsonNode e : h) {
            history.add(new SparsityEvent(whole(file, e, "step"), number(file, e, "target"), number(file, e, "achieved")));
        }
        return new Header(model, iteration, epoch, config, shapes, kept, history);
    }

    /** Checks the masks decoded from {@link MaskCodec#ENTRY} against the header and builds the state. */
    public static PruningState toState(Path file, Header header, Map<String, INDArray> masks) throws CorruptModelFileException {
        if (!header.maskShapes().keySet().equals(masks.keySet())) {
            throw corrupt(file, "lists masks " + header.maskShapes().keySet() + " but " + MaskCodec.ENTRY + " holds " + masks.keySet(), null);
        }
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            long[] shape = header.maskShapes().get(e.getKey());
            if (!Arrays.equals(shape, e.getValue().shape())) {
                throw corrupt(file, "gives mask '" + e.getKey() + "' shape " + Arrays.toString(shape) + " but "
                        + MaskCodec.ENTRY + " has " + Arrays.toString(e.getValue().shape()), null);
            }
            long kept = Arrays4j.countNonZero(e.getValue());
            if (kept != header.maskKept().get(e.getKey())) {
                throw corrupt(file, "says mask '" + e.getKey() + "' keeps " + header.maskKept().get(e.getKey())
                        + " weights but " + MaskCodec.ENTRY + " keeps " + kept, null);
            }
        }
        return PruningState.restore(header.config(), masks, header.history());
    }

    private static String text(Path file, JsonNode n, String field) throws CorruptModelFileException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw corrupt(file, field + " must be a string, found " + v, null);
        }
        return v.asText();
    }

    private static long whole(Path file, JsonNode n, String field) throws CorruptModelFileException {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
            throw corrupt(file, field + " must be a whole number >= 0, found " + v, null);
        }
        return v.asLong();
    }

    private static double number(Path file, JsonNode n, String field) throws CorruptModelFileException {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw corrupt(file, field + " must be a number, found " + v, null);
        }
        return v.asDouble();
    }

    private static CorruptModelFileException corrupt(Path file, String what, Throwable cause) {
        return new CorruptModelFileException(
                file, "entry " + ENTRY + ": " + what + ". Use an intact copy of the file, or re-save the model.", cause);
    }
}
