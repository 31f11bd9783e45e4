package org.topiary.examples.data;

/**
 * A dataset file is missing, unreadable or not what it claims to be.
 *
 * <p>Thrown instead of returning a partial or silently repaired dataset. The message starts with
 * the file (or directory, or classpath resource) at fault, then states the problem with the
 * expected and found values, then what to do about it, for example:
 *
 * <pre>
 * /data/train-images-idx3-ubyte.gz: bad magic number: expected 2051 (IDX images), found 2049 ...
 * Replace it with an intact copy: ...
 * </pre>
 *
 * <p>It is unchecked because a broken dataset is a configuration error that callers cannot repair
 * in code; command-line tools print {@link #getMessage()} and exit.
 */
public final class DatasetFormatException extends RuntimeException {

    private final String location;

    DatasetFormatException(String location, String problem, String remedy) {
        this(location, problem, remedy, null);
    }

    DatasetFormatException(String location, String problem, String remedy, Throwable cause) {
        super(location + ": " + problem + ". " + remedy, cause);
        this.location = location;
    }

    /**
     * The file, directory or classpath resource at fault, as it appears at the start of the
     * message.
     *
     * @return an absolute path, or {@code classpath:/...} for an embedded resource
     */
    public String location() {
        return location;
    }
}
