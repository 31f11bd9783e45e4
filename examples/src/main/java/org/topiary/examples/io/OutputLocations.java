package org.topiary.examples.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a command writes: the run folder ({@code --out}) and optionally a JSON file ({@code
 * --json}). {@link #prepare} creates the folders and proves both locations writable before any
 * training starts, so a bad path costs seconds, not a training run.
 *
 * @param outDir the run folder (absolute, exists, writable)
 * @param jsonFile the JSON result file (absolute; its folder exists and is writable), if requested
 */
public record OutputLocations(Path outDir, Optional<Path> jsonFile) {

    /** Appended to every output error: what to do about it. */
    static final String HINT = ". Choose a writable location with --out DIR or --json FILE.";

    /** Validates the components. */
    public OutputLocations {
        if (outDir == null || jsonFile == null) {
            throw new IllegalArgumentException("outDir and jsonFile must not be null");
        }
    }

    /**
     * Creates the run folder and the JSON file's folder if needed, and checks that files can be
     * created in both. Leaves no files behind.
     *
     * @param outDir the run folder
     * @param jsonFile the JSON result file, or {@code null} for none
     * @return the absolute locations
     * @throws UncheckedIOException naming the path if a location is not a writable folder
     */
    public static OutputLocations prepare(Path outDir, Path jsonFile) {
        Path out = outDir.toAbsolutePath().normalize();
        ensureWritableDirectory(out, "--out");
        Optional<Path> json = Optional.empty();
        if (jsonFile != null) {
            Path file = jsonFile.toAbsolutePath().normalize();
            if (Files.isDirectory(file)) {
                throw new UncheckedIOException(
                        "cannot write --json " + file + ": it is a directory" + HINT,
                        new IOException(file + " is a directory"));
            }
            ensureWritableDirectory(file.getParent(), "--json");
            json = Optional.of(file);
        }
        return new OutputLocations(out, json);
    }

    private static void ensureWritableDirectory(Path dir, String option) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".topiary-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write to " + option + " location " + dir + ": "
                            + AtomicFiles.describe(e) + HINT,
                    e);
        }
    }
}
