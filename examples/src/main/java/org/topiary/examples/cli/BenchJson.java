package org.topiary.examples.cli;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import java.util.List;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.SparsityEvent;

/**
 * The parts every benchmark and analysis JSON document shares (docs/cli-json.md): the header
 * ({@code schema}, {@code version}, {@code command}), where the data and the backend came from,
 * the per-layer sparsity rows, and the indented rendering.
 */
final class BenchJson {
    private BenchJson() {}

    /** The indenting mapper the documents are written with. */
    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** A new document: {@code schema}, {@code version} 1, {@code command}. */
    static ObjectNode document(ObjectMapper mapper, String schema, String command) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", schema);
        root.put("version", 1);
        root.put("command", command);
        return root;
    }

    /** {@code data_source} and {@code backend}. */
    static void putSource(ObjectNode root, String dataSource, CommandSession session) {
        root.put("data_source", dataSource);
        root.put("backend", session.backend().toString());
    }

    /** {@code layers}: one row ({@code id}, {@code size}, {@code nonzero}, {@code sparsity}) per tensor. */
    static void putLayers(ObjectNode node, SparsityReport report) {
        ArrayNode layers = node.putArray("layers");
        for (TensorSparsity t : report.tensors()) {
            layers.addObject().put("id", t.id()).put("size", t.size()).put("nonzero", t.nonZeros()).put("sparsity", t.sparsity());
        }
    }

    /** {@code name}: the numbers in order (e.g. {@code accuracy_per_epoch}, {@code epoch_seconds}). */
    static void putSeries(ObjectNode node, String name, List<? extends Number> values) {
        ArrayNode array = node.putArray(name);
        values.forEach(v -> array.add(v.doubleValue()));
    }

    /** {@code name}: the numbers in order (e.g. a grid of sparsities, the metrics of a curve). */
    static void putDoubles(ObjectNode node, String name, double[] values) {
        ArrayNode array = node.putArray(name);
        for (double v : values) {
            array.add(v);
        }
    }

    /** {@code name}: {@code value}, or {@code null} when it is NaN or infinite (not a number JSON can hold). */
    static void putFiniteOrNull(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    /** {@code history}: one row ({@code step}, {@code target}, {@code achieved}) per mask update. */
    static void putHistory(ObjectNode node, List<SparsityEvent> history) {
        ArrayNode rows = node.putArray("history");
        for (SparsityEvent e : history) {
            rows.addObject().put("step", e.step()).put("target", e.target()).put("achieved", e.achieved());
        }
    }

    /** The document as indented text. */
    static String write(ObjectMapper mapper, ObjectNode root) {
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the " + root.path("command").asText("JSON") + " JSON", e);
        }
    }
}
