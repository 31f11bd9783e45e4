package org.topiary.examples.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The value of {@code --data}: search the default locations, force the embedded subset, or use
 * one directory.
 *
 * @param kind which of the three
 * @param directory the directory for {@link Kind#DIRECTORY}, empty otherwise
 */
public record DataChoice(Kind kind, Optional<Path> directory) {

    /** The keyword that selects the embedded subset. */
    public static final String EMBEDDED = "embedded";

    /** The three ways to choose data. */
    public enum Kind {
        /** {@code $FASHION_MNIST_DIR}, then the system and user locations, then the subset. */
        SEARCH,
        /** The embedded 10k/2k subset, even if the full data set is installed. */
        EMBEDDED,
        /** Exactly this directory; an error if it does not hold the data set. */
        DIRECTORY
    }

    /** Validates the components. */
    public DataChoice {
        if (kind == null || directory == null) {
            throw new IllegalArgumentException("kind and directory must not be null");
        }
        if ((kind == Kind.DIRECTORY) != directory.isPresent()) {
            throw new IllegalArgumentException(
                    "directory must be given exactly for kind DIRECTORY, found " + kind + " " + directory);
        }
    }

    /**
     * Parses the option value.
     *
     * @param value {@code null} (option absent), {@code "embedded"}, or a directory path
     * @return the choice
     */
    public static DataChoice parse(String value) {
        if (value == null) {
            return new DataChoice(Kind.SEARCH, Optional.empty());
        }
        if (value.equals(EMBEDDED)) {
            return new DataChoice(Kind.EMBEDDED, Optional.empty());
        }
        return new DataChoice(Kind.DIRECTORY, Optional.of(Path.of(value)));
    }
}
