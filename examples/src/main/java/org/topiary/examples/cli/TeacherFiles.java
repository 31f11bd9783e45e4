package org.topiary.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The teacher a command trains for distillation ({@code distill --train-teacher}, {@code search --train-teacher}). */
final class TeacherFiles {
    private TeacherFiles() {}

    /**
     * Trains {@code teacher} for {@code epochs} passes over {@code train} and saves it as a DL4J
     * model zip without updater state, creating the file's folder if needed.
     *
     * @param teacher the freshly initialised network
     * @param train the training minibatches
     * @param epochs passes over {@code train}
     * @param file where the teacher goes
     * @return the trained teacher
     * @throws UncheckedIOException naming {@code file} if it cannot be written
     */
    static MultiLayerNetwork trainAndSave(MultiLayerNetwork teacher, DataSetIterator train, int epochs, Path file) {
        teacher.fit(train, epochs);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelSerializer.writeModel(teacher, file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the teacher to " + file, e);
        }
        return teacher;
    }
}
