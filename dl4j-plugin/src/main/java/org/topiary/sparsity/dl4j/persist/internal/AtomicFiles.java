package org.topiary.sparsity.dl4j.persist.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old complete file or the new complete file, never
 * a partial one: the bytes go to a hidden temporary file in the same folder ({@code
 * .<name>.<random>.tmp}), are forced to the device, and the temporary file is renamed over the
 * target with {@link StandardCopyOption#ATOMIC_MOVE}, and the folder is synced where the file
 * system allows it. If anything fails, the temporary file is
 * deleted and the target is untouched. A process killed mid-write leaves at most a stale
 * {@code .tmp} file, which {@link #isTempFile(Path)} recognises.
 */
public final class AtomicFiles {
    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Checks that {@code target} can be written: its folder exists, is a folder and is writable,
     * and the target itself is not a folder. Call it before expensive work so that bad output paths
     * fail first.
     */
    public static Path checkWritableTarget(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null || !Files.exists(dir)) {
            throw new NoSuchFileException(
                    String.valueOf(dir), null, "the output folder of " + abs.getFileName() + " does not exist; create it first");
        }
        if (!Files.isDirectory(dir)) {
            throw new FileSystemException(
                    dir.toString(), null, "is not a folder, so " + abs.getFileName() + " cannot be written into it; choose an output path inside a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new AccessDeniedException(
                    dir.toString(), null, "the output folder is not writable; choose another folder or fix its permissions");
        }
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(
                    abs.toString(), null, "is a folder; give the path of a file to write");
        }
        return abs;
    }

    /** Writes {@code content} to {@code target} atomically (see the class comment). */
    public static void write(Path target, Content content) throws IOException {
        Path abs = checkWritableTarget(target);
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new FileSystemException(
                        abs.toString(), null, "this file system cannot rename atomically; write to a local disk");
            }
            moved = true;
            syncDirectory(abs.getParent());
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Best effort: makes the rename durable on file systems that support syncing a folder. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows); the rename itself is still atomic
        }
    }

    /** True for the name pattern of temporary files left by a write that was interrupted. */
    public static boolean isTempFile(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".tmp");
    }
}
