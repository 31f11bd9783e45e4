package org.topiary.sparsity;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.internal.Checks;

/**
 * Per-tensor and total sparsity of a model's prunable tensors, as a text table and as JSON.
 *
 * <p>JSON form:
 *
 * <pre>{@code
 * {"tensors": [{"id": "0_W", "shape": [784, 300], "size": 235200, "nonzero": 23520,
 *               "sparsity": 0.9, "mask_bytes": 235200}, ...],
 *  "total_size": 266200, "total_nonzero": 26620, "sparsity": 0.9, "mask_bytes": 266200}
 * }</pre>
 */
public final class SparsityReport {
    private final List<TensorSparsity> tensors;

    private SparsityReport(List<TensorSparsity> tensors) {
        this.tensors = List.copyOf(Checks.notNull("tensors", tensors));
    }

    /** A report over these tensors, in this order. */
    public static SparsityReport of(List<TensorSparsity> tensors) {
        return new SparsityReport(tensors);
    }

    public List<TensorSparsity> tensors() {
        return tensors;
    }

    /** The entry of {@code id}. */
    public TensorSparsity tensor(String id) {
        return tensors.stream()
                .filter(t -> t.id().equals(id))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no tensor '"
                                                + id
                                                + "' in this report; tensors: "
                                                + tensors.stream()
                                                        .map(TensorSparsity::id)
                                                        .collect(Collectors.toList())));
    }

    public long totalSize() {
        return tensors.stream().mapToLong(TensorSparsity::size).sum();
    }

    public long totalNonZeros() {
        return tensors.stream().mapToLong(TensorSparsity::nonZeros).sum();
    }

    public long maskBytes() {
        return tensors.stream().mapToLong(TensorSparsity::maskBytes).sum();
    }

    /** Fraction of all reported elements that are exactly zero. */
    public double sparsity() {
        long size = totalSize();
        return size == 0 ? 0.0 : (double) (size - totalNonZeros()) / size;
    }

    /** A fixed-width text table with a total row. */
    public String toTable() {
        int idWidth =
                Math.max(6, tensors.stream().mapToInt(t -> t.id().length()).max().orElse(0));
        String fmt = "%-" + idWidth + "s  %-16s %12s %12s %9s %11s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "tensor", "shape", "size", "nonzero", "sparsity", "mask bytes"));
        for (TensorSparsity t : tensors) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            fmt,
                            t.id(),
                            t.shape().toString(),
                            t.size(),
                            t.nonZeros(),
                            String.format(Locale.ROOT, "%.4f", t.sparsity()),
                            t.maskBytes()));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        fmt,
                        "total",
                        "",
                        totalSize(),
                        totalNonZeros(),
                        String.format(Locale.ROOT, "%.4f", sparsity()),
                        maskBytes()));
        return sb.toString();
    }

    /** The report as a JSON tree (see the class comment). */
    public ObjectNode toJsonTree(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode arr = root.putArray("tensors");
        for (TensorSparsity t : tensors) {
            ObjectNode n = arr.addObject();
            n.put("id", t.id());
            ArrayNode shape = n.putArray("shape");
            t.shape().forEach(shape::add);
            n.put("size", t.size());
            n.put("nonzero", t.nonZeros());
            n.put("sparsity", t.sparsity());
            n.put("mask_bytes", t.maskBytes());
        }
        root.put("total_size", totalSize());
        root.put("total_nonzero", totalNonZeros());
        root.put("sparsity", sparsity());
        root.put("mask_bytes", maskBytes());
        return root;
    }

    /** The report as pretty-printed JSON. */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree(mapper));
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write the sparsity report as JSON", e);
        }
    }

    @Override
    public String toString() {
        return toTable();
    }
}
