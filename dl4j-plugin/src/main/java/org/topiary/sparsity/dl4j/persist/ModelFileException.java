package org.topiary.sparsity.dl4j.persist;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model, checkpoint or sparse file that Topiary cannot use. The message starts with the file and
 * says what is wrong and what to do. Subtypes say why: {@link CorruptModelFileException} (damaged,
 * truncated, not the expected kind of file), {@link UnsupportedFormatVersionException} (written by
 * a newer Topiary) and {@link ArchitectureMismatchException} (the file does not fit the model).
 */
public class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ModelFileException(Path file, String message) {
        super(prefix(file) + message);
        this.file = file;
    }

    public ModelFileException(Path file, String message, Throwable cause) {
        super(prefix(file) + message, cause);
        this.file = file;
    }

    private static String prefix(Path file) {
        return file == null ? "" : file + ": ";
    }

    /** The file concerned, or null when the data did not come from a file. */
    public Path file() {
        return file;
    }
}
