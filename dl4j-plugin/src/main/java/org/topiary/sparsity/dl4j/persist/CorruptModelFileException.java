package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;

/**
 * A file that is damaged or is not the kind of file expected: truncated or corrupt zip, CRC
 * mismatch, bad magic number, missing or malformed entries. Nothing was changed on disk; restore
 * the file from an earlier checkpoint or write it again.
 */
public final class CorruptModelFileException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    public CorruptModelFileException(Path file, String message) {
        super(file, message);
    }

    public CorruptModelFileException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
