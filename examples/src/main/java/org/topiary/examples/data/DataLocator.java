package org.topiary.examples.data;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link FashionMnist#load(Path)} looks for the full dataset when no directory is given, in
 * this order: {@code $FASHION_MNIST_DIR}, {@code /usr/share/datasets/fashion-mnist}, {@code
 * ~/.topiary/datasets/fashion-mnist}. The first directory holding all four files wins; a
 * directory holding only some of them is skipped with a warning.
 *
 * <p>The environment, system directory and home directory are injected so that tests can check
 * the order without touching the real ones.
 *
 * @param env environment variables, usually {@link System#getenv()}
 * @param systemDir the directory of the Debian package {@code dataset-fashion-mnist}
 * @param homeDir the user's home directory
 */
record DataLocator(Map<String, String> env, Path systemDir, Path homeDir) {

    private static final Logger LOG = LoggerFactory.getLogger(DataLocator.class);

    /** Below the home directory. */
    static final String HOME_SUBDIR = ".topiary/datasets/fashion-mnist";

    DataLocator {
        env = Map.copyOf(env);
        Objects.requireNonNull(systemDir, "systemDir");
        Objects.requireNonNull(homeDir, "homeDir");
    }

    /** The locator of this process: its environment, the system directory and {@code user.home}. */
    static DataLocator ofThisProcess() {
        return new DataLocator(
                System.getenv(),
                Path.of(FashionMnist.SYSTEM_DIR),
                Path.of(System.getProperty("user.home")));
    }

    /** A place to look, and why it is looked at. */
    record Candidate(String origin, Path dir) {}

    /** @return the places to look, in order */
    List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>();
        String fromEnv = env.get(FashionMnist.ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                candidates.add(new Candidate("$" + FashionMnist.ENV_VAR, Path.of(fromEnv)));
            } catch (InvalidPathException e) {
                LOG.warn("Ignoring ${}={}: not a valid path ({})", FashionMnist.ENV_VAR, fromEnv,
                        e.getMessage());
            }
        }
        candidates.add(new Candidate("system directory", systemDir));
        candidates.add(new Candidate("home directory", homeDir.resolve(HOME_SUBDIR)));
        return candidates;
    }

    /** @return the first directory that holds all four Fashion-MNIST files, if any */
    Optional<Path> locate() {
        for (Candidate candidate : candidates()) {
            List<String> missing = missingFiles(candidate.dir());
            if (missing.isEmpty()) {
                return Optional.of(candidate.dir());
            }
            if (missing.size() < FashionMnist.FILE_NAMES.size()) {
                LOG.warn("Skipping {} {}: it lacks {}", candidate.origin(), candidate.dir(),
                        String.join(", ", missing));
            }
        }
        return Optional.empty();
    }

    /** @return the Fashion-MNIST file names that are not regular files in {@code dir} */
    static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : FashionMnist.FILE_NAMES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        return missing;
    }
}
