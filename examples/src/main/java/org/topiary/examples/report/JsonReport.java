package org.topiary.examples.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.backend.BackendInfo;
import org.topiary.examples.backend.GpuDevice;
import org.topiary.examples.backend.MachineInfo;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.LayerSparsity;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.TracePoint;

/**
 * The {@code --json} output: one object per command, schema {@value #SCHEMA} version {@value
 * #VERSION}, documented field by field in {@code docs/cli-json.md}. Field names are snake_case and
 * written explicitly here (no reflection), so renaming a Java method never changes the format.
 * Non-finite numbers are written as {@code null}.
 */
public final class JsonReport {

    /** Value of the {@code schema} field. */
    public static final String SCHEMA = "topiary-cli-result";

    /** Value of the {@code version} field; bump on any incompatible change. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    /**
     * Builds the JSON tree.
     *
     * @param report what to report
     * @return the object
     */
    public static ObjectNode toJson(CommandReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("version", VERSION);
        root.put("command", report.command());
        ArrayNode args = root.putArray("arguments");
        report.arguments().forEach(args::add);
        root.put("created_at", report.createdAt().toString());
        root.put("data_source", report.data().source());
        root.put("data_embedded_subset", report.data().embeddedSubset());
        root.put("train_examples", report.data().trainExamples());
        root.put("test_examples", report.data().testExamples());
        root.set("backend", backend(report.backend()));
        root.set("machine", machine(report.machine()));
        root.put("out_dir", report.outDir().toString());
        ArrayNode runs = root.putArray("runs");
        report.runs().forEach(r -> runs.add(run(r)));
        if (!report.shrinks().isEmpty()) {
            ArrayNode shrinks = root.putArray("shrink");
            for (ShrinkSummary s : report.shrinks()) {
                ObjectNode n = shrinks.addObject();
                n.put("run", s.run());
                n.put("source", s.source());
                n.put("fraction", s.fraction());
                ObjectNode units = n.putObject("units");
                s.units().forEach(units::put);
                n.put("params_before", s.paramsBefore());
                n.put("params_after", s.paramsAfter());
                putNumber(n, "test_accuracy_before_fine_tune", s.accuracyBeforeFineTune());
                putNumber(n, "test_accuracy_after_fine_tune", s.accuracyAfterFineTune());
                putNumber(n, "dense_b256_ms", s.denseB256Ms());
                putNumber(n, "shrunk_b256_ms", s.shrunkB256Ms());
                putNumber(n, "speedup_b256", s.speedupB256());
            }
        }
        return root;
    }

    /**
     * Serialises the report as indented JSON text.
     *
     * @param report what to report
     * @return the JSON text, ending with a newline
     */
    public static String render(CommandReport report) {
        try {
            return MAPPER.writeValueAsString(toJson(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the JSON report", e);
        }
    }

    /**
     * Writes the report atomically to {@code file}.
     *
     * @param file the target file (its folder must exist)
     * @param report what to report
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static void write(Path file, CommandReport report) {
        AtomicFiles.writeString(file, render(report));
    }

    /**
     * Reads a JSON file written by {@link #write}; for tests and tools.
     *
     * @param file the file
     * @return its root object
     * @throws UncheckedIOException naming the file if it cannot be read or parsed
     */
    public static ObjectNode read(Path file) {
        try {
            return (ObjectNode) MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON report " + file, e);
        }
    }

    private static ObjectNode backend(BackendInfo b) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", b.name());
        node.put("blas_vendor", b.blasVendor());
        node.put("threads", b.threads().effective());
        ObjectNode pools = node.putObject("thread_pools");
        pools.put("libnd4j", b.threads().libnd4j());
        pools.put("openmp", b.threads().openMp());
        pools.put("blas", b.threads().blas());
        ArrayNode gpus = node.putArray("gpus");
        for (GpuDevice g : b.gpus()) {
            ObjectNode gpu = gpus.addObject();
            gpu.put("index", g.index());
            gpu.put("name", g.name());
            gpu.put("compute_capability", g.computeCapability());
            gpu.put("total_memory_bytes", g.totalMemoryBytes());
        }
        return node;
    }

    private static ObjectNode machine(MachineInfo m) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("cpu_model", m.cpuModel());
        node.put("logical_cpus", m.logicalCpus());
        node.put("memory_bytes", m.memoryBytes());
        node.put("os", m.os());
        node.put("java_version", m.javaVersion());
        node.put("nd4j_version", m.nd4jVersion());
        return node;
    }

    private static ObjectNode run(RunResult r) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", r.name());
        node.put("seed", r.seed());
        node.put("epochs", r.epochCount());
        node.put("batch_size", r.batchSize());
        putNumber(node, "test_accuracy", r.testAccuracy());
        putNumber(node, "sparsity", r.sparsity());
        node.put("prunable_weights", r.weights().weightCount());
        node.put("nonzero_weights", r.weights().nonzeroWeights());
        node.put("total_params", r.weights().totalParams());
        node.put("nonzero_params", r.nonzeroParams());
        node.put("model_file", r.modelFile().getFileName().toString());
        node.put("model_file_bytes", r.modelFileBytes());
        putNumber(node, "train_seconds", r.trainSeconds());
        putNumber(node, "examples_per_second", r.examplesPerSecond());
        ArrayNode epochs = node.putArray("per_epoch");
        for (EpochStats e : r.epochs()) {
            ObjectNode epoch = epochs.addObject();
            epoch.put("epoch", e.epoch());
            putNumber(epoch, "loss", e.meanLoss());
            putNumber(epoch, "test_accuracy", e.testAccuracy());
            putNumber(epoch, "train_seconds", e.trainSeconds());
            putNumber(epoch, "examples_per_second", e.examplesPerSecond());
        }
        ArrayNode layers = node.putArray("layers");
        for (LayerSparsity l : r.weights().layers()) {
            ObjectNode layer = layers.addObject();
            layer.put("param", l.param());
            layer.put("layer", l.layerName());
            layer.put("layer_type", l.layerType());
            ArrayNode shape = layer.putArray("shape");
            l.shape().forEach(shape::add);
            layer.put("size", l.size());
            layer.put("nonzero", l.nonzero());
            putNumber(layer, "sparsity", l.sparsity());
        }
        ArrayNode trace = node.putArray("sparsity_trace");
        for (TracePoint p : r.trace()) {
            ObjectNode point = trace.addObject();
            point.put("step", p.step());
            putNumber(point, "target_sparsity", p.targetSparsity());
            putNumber(point, "achieved_sparsity", p.achievedSparsity());
        }
        return node;
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
