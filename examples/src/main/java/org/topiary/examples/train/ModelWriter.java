package org.topiary.examples.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.topiary.examples.io.AtomicFiles;

/** Writes a trained network to its model file (atomically: a crash never leaves half a file). */
@FunctionalInterface
public interface ModelWriter {

    /**
     * Writes {@code net} to {@code file}.
     *
     * @param net the trained network
     * @param file the model file to create or replace
     * @throws IOException if the file cannot be written
     */
    void write(MultiLayerNetwork net, Path file) throws IOException;

    /** A plain DL4J model zip (ModelSerializer, without updater state). */
    static ModelWriter plain() {
        return (net, file) -> AtomicFiles.write(file, out -> ModelSerializer.writeModel(net, out, false));
    }
}
