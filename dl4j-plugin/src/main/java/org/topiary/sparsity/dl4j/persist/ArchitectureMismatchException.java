package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;

/**
 * Saved masks or weights that do not fit the model they are applied to: a param id the model does
 * not have, or a shape that differs. The file was written for another architecture; load it with
 * the model it was saved with.
 */
public final class ArchitectureMismatchException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    public ArchitectureMismatchException(Path file, String message) {
        super(file, message);
    }
}
