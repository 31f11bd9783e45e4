package org.topiary.examples.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file atomically: into a temporary file in the target's folder, then {@code
 * Files.move(..., ATOMIC_MOVE)} over the target. On failure the temporary file is removed and the
 * target is left as it was.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out the stream to write to (closed by the caller)
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code bytes} to {@code target} atomically.
     *
     * @param target the file to create or replace
     * @param bytes its new content
     * @throws UncheckedIOException naming {@code target} if it cannot be written
     */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes UTF-8 text to {@code target} atomically.
     *
     * @param target the file to create or replace
     * @param text its new content
     * @throws UncheckedIOException naming {@code target} if it cannot be written
     */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code target} atomically with {@code writer}.
     *
     * @param target the file to create or replace
     * @param writer writes the content
     * @throws UncheckedIOException naming {@code target} if it cannot be written
     */
    public static void write(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.writeTo(out);
            }
            try {
                Files.move(
                        temp,
                        absolute,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + absolute + ": " + describe(e) + OutputLocations.HINT, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the original failure is what matters
                }
            }
        }
    }

    static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + " (" + e.getMessage() + ")";
    }
}
