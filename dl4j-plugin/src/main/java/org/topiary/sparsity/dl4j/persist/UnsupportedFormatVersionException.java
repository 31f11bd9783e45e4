package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;

/**
 * A file in a format version this Topiary cannot read, normally one written by a newer Topiary.
 * The message names the format, the version found and the versions supported.
 */
public final class UnsupportedFormatVersionException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    private final long found;
    private final int supported;

    public UnsupportedFormatVersionException(Path file, String format, long found, int supported) {
        super(
                file,
                format + " version " + found + " is not supported: this Topiary reads versions 1 to " + supported
                        + ". Upgrade Topiary to read this file, or re-export it with this version.");
        this.found = found;
        this.supported = supported;
    }

    /** The version found in the file. */
    public long found() {
        return found;
    }

    /** The newest version this code reads. */
    public int supported() {
        return supported;
    }
}
