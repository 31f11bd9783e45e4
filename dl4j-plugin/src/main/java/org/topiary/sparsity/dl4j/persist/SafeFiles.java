package org.topiary.sparsity.dl4j.persist;

import java.io.IOException;
import java.nio.file.Path;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;

/**
 * The output-file rules of this package for other writers (command lines, reports): check an
 * output path before doing expensive work, and write atomically so that a failure never leaves a
 * half-written file.
 */
public final class SafeFiles {
    private SafeFiles() {}

    /**
     * Fails unless {@code target}'s folder exists, is a folder and is writable, and {@code target}
     * is not a folder.
     *
     * @throws java.nio.file.NoSuchFileException when the folder does not exist
     * @throws java.nio.file.FileSystemException when the folder is a file or the target a folder
     * @throws java.nio.file.AccessDeniedException when the folder is not writable
     */
    public static void checkWritable(Path target) throws IOException {
        AtomicFiles.checkWritableTarget(target);
    }

    /** Writes {@code bytes} to {@code target}: temporary file in the same folder, then an atomic rename. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFiles.write(target, out -> out.write(bytes));
    }
}
