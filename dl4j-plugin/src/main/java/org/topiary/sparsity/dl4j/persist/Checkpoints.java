package org.topiary.sparsity.dl4j.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint files of a folder, as written by {@link Checkpointer}: {@code
 * checkpoint-<step>.zip} with the step zero-padded to 10 digits, each a {@link PrunedModels} file.
 * Hidden {@code .tmp} files are unfinished writes and are never checkpoints.
 */
public final class Checkpoints {
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{10})\\.zip");

    private Checkpoints() {}

    /** The file name of the checkpoint at {@code step}. */
    public static String fileName(long step) {
        return String.format(Locale.ROOT, "checkpoint-%010d.zip", step);
    }

    /** The step in a checkpoint file name, or -1 when the name is not a checkpoint's. */
    public static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The checkpoint files of {@code dir}, newest (highest step) first; none when it does not exist. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> stepOf(p) >= 0 && Files.isRegularFile(p)).forEach(out::add);
        }
        out.sort(Comparator.comparingLong(Checkpoints::stepOf).reversed());
        return out;
    }

    /**
     * The newest checkpoint of {@code dir} that passes {@link PrunedModels#verify(Path)} (complete
     * zip, every CRC right, readable pruning state), skipping damaged ones; empty when there is
     * none.
     */
    public static Optional<Path> latest(Path dir) throws IOException {
        for (Path p : list(dir)) {
            try {
                PrunedModels.verify(p);
                return Optional.of(p);
            } catch (ModelFileException e) {
                // damaged: try the next older one
            }
        }
        return Optional.empty();
    }
}
