package org.topiary.distill.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Loads a DL4J model file, telling MultiLayerNetwork from ComputationGraph by its configuration. */
public final class ModelFiles {
    private ModelFiles() {}

    /**
     * @throws IllegalArgumentException if the file is missing or not a DL4J model zip
     * @throws UncheckedIOException if reading fails
     */
    public static Model load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "model file " + file + " not found; give a zip written by ModelSerializer.writeModel");
        }
        try {
            boolean graph;
            try (ZipFile zip = new ZipFile(file.toFile())) {
                ZipEntry entry = zip.getEntry("configuration.json");
                if (entry == null) {
                    throw new IllegalArgumentException(
                            "model file " + file + " has no configuration.json; it is not a DL4J model written by"
                                    + " ModelSerializer.writeModel");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    JsonNode root = new ObjectMapper().readTree(in);
                    graph = root.has("vertices");
                }
            }
            return graph
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("model file " + file + " is not a zip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file, e);
        }
    }
}
