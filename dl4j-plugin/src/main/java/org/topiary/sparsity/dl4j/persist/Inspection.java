package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.json.SparsityJson;

/**
 * What {@link ModelInspector} found: one row per parameter tensor (layer, type, shape, non-zeros,
 * sparsity, bytes dense and in the sparse format) and the pruning state if the file has one; as a
 * text table ({@link #toText()}) and as JSON ({@link #toJson()}).
 *
 * <p>JSON form (version 1):
 *
 * <pre>{@code
 * {"type": "topiary-inspection", "version": 1, "file": "m.zip", "format": "dl4j-zip+topiary-pruning",
 *  "file_bytes": 1234, "model": "MultiLayerNetwork", "params": 266610, "iteration": 3283, "epoch": 7,
 *  "layers": [{"layer": "0", "type": "DenseLayer", "param": "W", "id": "0_W", "dtype": "FLOAT",
 *              "shape": [784, 300], "size": 235200, "nonzero": 23520, "sparsity": 0.9,
 *              "dense_bytes": 940800, "sparse_bytes": 123488, "mask_kept": 23520}, ...],
 *  "sparsity": <SparsityReport JSON over all tensors>,
 *  "patterns": [{"id": "0_W", "pattern": {"type": "n-of-m", "n": 2, "m": 4}, "outputs": 300,
 *                "inputs": 784, "layout": "inputs-by-outputs", "exact": true}],
 *  "pruning": null | {"config": <topiary-pruning v1>, "masks": 3,
 *              "history": [{"step": 469, "target": 0.0, "achieved": 0.0}, ...]}}
 * }</pre>
 */
public final class Inspection {
    /**
     * One parameter tensor.
     *
     * @param layer layer name (or index for unnamed MultiLayerNetwork layers)
     * @param type layer configuration class, e.g. {@code DenseLayer}
     * @param key param key within the layer, e.g. {@code W}
     * @param sparsity measured zeros of the tensor (its id is the DL4J param id)
     * @param dtype element type
     * @param denseBytes bytes of the raw values
     * @param sparseBytes bytes in the sparse format before deflate (bitmask + non-zeros, or dense)
     * @param maskKept weights the pruning mask keeps, or -1 without a mask
     */
    public record Row(String layer, String type, String key, TensorSparsity sparsity, String dtype,
                      long denseBytes, long sparseBytes, long maskKept) {}

    private final Path file;
    private final String format;
    private final long fileBytes;
    private final String modelKind;
    private final long numParams;
    private final long iteration;
    private final long epoch;
    private final List<Row> rows;
    private final PruningState state;
    private final List<TensorPattern> patterns;

    Inspection(Path file, String format, long fileBytes, String modelKind, long numParams, long iteration, long epoch,
               List<Row> rows, PruningState state, List<TensorPattern> patterns) {
        this.file = file;
        this.format = format;
        this.fileBytes = fileBytes;
        this.modelKind = modelKind;
        this.numParams = numParams;
        this.iteration = iteration;
        this.epoch = epoch;
        this.rows = List.copyOf(rows);
        this.state = state;
        this.patterns = List.copyOf(patterns);
    }

    /**
     * The N:M or block patterns of the weights: from the pruning state of a zip, or from the
     * metadata of a sparse file (version 2); empty otherwise.
     */
    public List<TensorPattern> patterns() {
        return patterns;
    }

    public List<Row> rows() {
        return rows;
    }

    /** {@code dl4j-zip}, {@code dl4j-zip+topiary-pruning}, {@code topiary-sparse-v1} or {@code in-memory}. */
    public String format() {
        return format;
    }

    /** Size of the inspected file, or -1 for an in-memory model. */
    public long fileBytes() {
        return fileBytes;
    }

    public String modelKind() {
        return modelKind;
    }

    public long numParams() {
        return numParams;
    }

    /** Completed optimizer updates saved with the model. */
    public long iteration() {
        return iteration;
    }

    public long epoch() {
        return epoch;
    }

    /** The pruning state in the file, if any. */
    public Optional<PruningState> state() {
        return Optional.ofNullable(state);
    }

    /** Sparsity over every parameter tensor (weights, biases, normalization params). */
    public SparsityReport report() {
        return SparsityReport.of(rows.stream().map(Row::sparsity).toList());
    }

    /** The per-tensor table, a total row, and the pruning state summary. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(String.format(Locale.ROOT, "file:  %s (%d bytes, %s)%n", file, fileBytes, format));
        }
        sb.append(String.format(Locale.ROOT, "model: %s, %d params, iteration %d, epoch %d%n%n", modelKind, numParams, iteration, epoch));
        int lw = Math.max(5, rows.stream().mapToInt(r -> r.layer().length()).max().orElse(0));
        int tw = Math.max(4, rows.stream().mapToInt(r -> r.type().length()).max().orElse(0));
        int iw = Math.max(5, rows.stream().mapToInt(r -> r.sparsity().id().length()).max().orElse(0));
        String fmt = "%-" + lw + "s  %-" + tw + "s  %-" + iw + "s  %-14s %10s %10s %9s %12s %12s%n";
        sb.append(String.format(Locale.ROOT, fmt, "layer", "type", "param", "shape", "size", "nonzero", "sparsity", "dense bytes", "sparse bytes"));
        long dense = 0;
        long sparse = 0;
        for (Row r : rows) {
            TensorSparsity t = r.sparsity();
            sb.append(String.format(Locale.ROOT, fmt, r.layer(), r.type(), t.id(), t.shape().toString(), t.size(), t.nonZeros(),
                    String.format(Locale.ROOT, "%.4f", t.sparsity()), r.denseBytes(), r.sparseBytes()));
            dense += r.denseBytes();
            sparse += r.sparseBytes();
        }
        SparsityReport rep = report();
        sb.append(String.format(Locale.ROOT, fmt, "total", "", "", "", rep.totalSize(), rep.totalNonZeros(),
                String.format(Locale.ROOT, "%.4f", rep.sparsity()), dense, sparse));
        sb.append(System.lineSeparator());
        if (state == null) {
            sb.append("pruning state: none").append(System.lineSeparator());
        } else {
            sb.append(String.format(Locale.ROOT, "pruning state: %s%n", state.config()));
            sb.append(String.format(Locale.ROOT, "  masks on %d tensors %s, %d mask updates", state.masks().size(), state.masks().keySet(), state.history().size()));
            if (!state.history().isEmpty()) {
                SparsityEvent last = state.history().get(state.history().size() - 1);
                sb.append(String.format(Locale.ROOT, ", last at step %d (target %.4f, achieved %.4f)", last.step(), last.target(), last.achieved()));
            }
            sb.append(System.lineSeparator());
        }
        for (TensorPattern t : patterns) {
            sb.append(String.format(Locale.ROOT, "pattern: %s %s on %s as [%d outputs, %d inputs] (%s)%s%n", t.pattern().typeId(),
                    t.pattern(), t.id(), t.outputs(), t.inputs(), t.layout(), t.exact() ? ", exact" : ", NOT exact yet"));
        }
        return sb.toString();
    }

    /** The JSON tree (see the class comment). */
    public ObjectNode toJsonTree(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("type", "topiary-inspection");
        root.put("version", 1);
        if (file == null) {
            root.putNull("file");
        } else {
            root.put("file", file.toString());
        }
        root.put("format", format);
        root.put("file_bytes", fileBytes);
        root.put("model", modelKind);
        root.put("params", numParams);
        root.put("iteration", iteration);
        root.put("epoch", epoch);
        ArrayNode layers = root.putArray("layers");
        for (Row r : rows) {
            ObjectNode n = layers.addObject();
            TensorSparsity t = r.sparsity();
            n.put("layer", r.layer());
            n.put("type", r.type());
            n.put("param", r.key());
            n.put("id", t.id());
            n.put("dtype", r.dtype());
            ArrayNode shape = n.putArray("shape");
            t.shape().forEach(shape::add);
            n.put("size", t.size());
            n.put("nonzero", t.nonZeros());
            n.put("sparsity", t.sparsity());
            n.put("dense_bytes", r.denseBytes());
            n.put("sparse_bytes", r.sparseBytes());
            n.put("mask_kept", r.maskKept());
        }
        root.set("sparsity", report().toJsonTree(mapper));
        root.set("patterns", org.topiary.sparsity.dl4j.persist.internal.PatternJson.toArray(patterns));
        if (state == null) {
            root.putNull("pruning");
        } else {
            ObjectNode p = root.putObject("pruning");
            p.set("config", SparsityJson.toTree(state.config()));
            p.put("masks", state.masks().size());
            ArrayNode h = p.putArray("history");
            for (SparsityEvent e : state.history()) {
                ObjectNode o = h.addObject();
                o.put("step", e.step());
                o.put("target", e.target());
                o.put("achieved", e.achieved());
            }
        }
        return root;
    }

    /** Pretty-printed JSON (see the class comment). */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree(mapper));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the inspection as JSON", e);
        }
    }

    @Override
    public String toString() {
        return toText();
    }
}
