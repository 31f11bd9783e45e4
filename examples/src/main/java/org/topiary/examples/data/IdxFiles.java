package org.topiary.examples.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes gzip-compressed IDX files, the format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is a big-endian header followed by raw unsigned bytes:
 *
 * <pre>
 * images: int32 magic = 2051 (0x00000803: unsigned bytes, 3 dimensions), int32 count,
 *         int32 rows = 28, int32 columns = 28, then count*28*28 pixels, row-major, 0..255
 * labels: int32 magic = 2049 (0x00000801: unsigned bytes, 1 dimension), int32 count,
 *         then count labels, 0..9
 * </pre>
 *
 * <p>Both headers of a split are checked before any array is allocated. Anything unexpected
 * (not gzip, a damaged gzip stream, a wrong magic number, wrong dimensions or counts, a short or
 * over-long body, a label outside 0..9) raises a {@link DatasetFormatException} that names the
 * file; nothing is ever partially loaded.
 */
final class IdxFiles {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_HEADER_BYTES = 16;
    static final int LABELS_HEADER_BYTES = 8;

    static final String REPLACE_FILE =
            "Replace it with an intact copy: 'apt-get install --reinstall dataset-fashion-mnist'"
                    + " restores the files in " + FashionMnist.SYSTEM_DIR
                    + "; for another directory, download the file again.";
    static final String REBUILD_JAR =
            "The subset embedded in the topiary jar is damaged: rebuild it with"
                    + " 'mvn -pl examples -am package', or use the full set"
                    + " ('apt-get install dataset-fashion-mnist', or --data DIR).";

    private static final int BUFFER_BYTES = 1 << 16;

    private IdxFiles() {}

    /** Opens a stream on an IDX file; {@link NoSuchFileException} when it is absent. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * Where an IDX file comes from.
     *
     * @param location the path or {@code classpath:/...} name used in error messages
     * @param opener opens the raw (still compressed) bytes
     * @param remedy what to do when the file is damaged, a sentence ending with a period
     * @param missingRemedy what to do when the file is absent, a sentence ending with a period
     */
    record Source(String location, Opener opener, String remedy, String missingRemedy) {

        static Source file(Path file) {
            Path absolute = file.toAbsolutePath().normalize();
            return new Source(absolute.toString(), () -> Files.newInputStream(absolute),
                    REPLACE_FILE, FashionMnist.HOW_TO_GET);
        }

        static Source resource(Class<?> anchor, String relativeName) {
            String absoluteName =
                    anchor.getPackageName().replace('.', '/') + "/" + relativeName;
            return new Source(
                    "classpath:/" + absoluteName,
                    () -> {
                        InputStream in = anchor.getResourceAsStream(relativeName);
                        if (in == null) {
                            throw new NoSuchFileException("classpath:/" + absoluteName);
                        }
                        return in;
                    },
                    REBUILD_JAR, REBUILD_JAR);
        }
    }

    /**
     * Reads one split (an images file and its labels file).
     *
     * @param images the images file
     * @param labels the labels file
     * @param expectedCount how many examples the split must hold
     * @param splitName how the split is called in messages, e.g. "Fashion-MNIST training set"
     * @return the validated examples
     * @throws DatasetFormatException when anything about either file is unexpected
     */
    static LabeledImages readSplit(
            Source images, Source labels, int expectedCount, String splitName) {
        try (InputStream imageIn = openGzip(images)) {
            int count = readImagesHeader(imageIn, images);
            try (InputStream labelIn = openGzip(labels)) {
                int labelCount = readLabelsHeader(labelIn, labels);
                if (labelCount != count) {
                    throw new DatasetFormatException(
                            labels.location(),
                            "label/image count mismatch: declares " + labelCount + " labels, but "
                                    + images.location() + " declares " + count + " images",
                            "The two files of a split must come from the same download: replace"
                                    + " both. " + labels.remedy());
                }
                if (count != expectedCount) {
                    throw new DatasetFormatException(
                            images.location(),
                            "wrong image count: expected " + expectedCount + " images (the "
                                    + splitName + "), found " + count + " in the header",
                            images.remedy());
                }
                byte[] pixels = new byte[count * LabeledImages.PIXELS];
                readBody(imageIn, pixels, images, "pixel data", IMAGES_HEADER_BYTES,
                        count + " images of 28x28");
                expectEnd(imageIn, images, count + " images");
                byte[] labelValues = new byte[count];
                readBody(labelIn, labelValues, labels, "label data", LABELS_HEADER_BYTES,
                        count + " labels");
                expectEnd(labelIn, labels, count + " labels");
                checkLabelRange(labelValues, labels);
                return new LabeledImages(pixels, labelValues);
            }
        } catch (IOException e) {
            // Only closing can get here: every read translates its own IOException.
            throw new UncheckedIOException(
                    "Could not close " + images.location() + " or " + labels.location(), e);
        }
    }

    /** Opens a gzip stream after checking the gzip signature; never returns an unchecked stream. */
    private static InputStream openGzip(Source source) {
        InputStream raw;
        try {
            raw = source.opener().open();
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(
                    source.location(), "file not found", source.missingRemedy(), e);
        } catch (IOException e) {
            throw new DatasetFormatException(
                    source.location(), "file cannot be opened (" + e + ")",
                    "Check its permissions. " + source.remedy(), e);
        }
        try {
            BufferedInputStream in = new BufferedInputStream(raw, BUFFER_BYTES);
            in.mark(4);
            byte[] start = in.readNBytes(4);
            in.reset();
            if (start.length == 0) {
                throw new DatasetFormatException(
                        source.location(), "not gzip: the file is empty (0 bytes)",
                        source.remedy());
            }
            if (start.length < 2 || start[0] != (byte) 0x1f || start[1] != (byte) 0x8b) {
                throw new DatasetFormatException(
                        source.location(),
                        "not gzip: a gzip file starts with 0x1f8b, this one starts with 0x"
                                + hex(start) + uncompressedHint(start),
                        source.remedy());
            }
            return new GZIPInputStream(in, BUFFER_BYTES);
        } catch (DatasetFormatException e) {
            closeAfterFailure(raw, e);
            throw e;
        } catch (IOException e) {
            DatasetFormatException failure = new DatasetFormatException(
                    source.location(), "unreadable gzip header (" + e.getMessage() + ")",
                    source.remedy(), e);
            closeAfterFailure(raw, failure);
            throw failure;
        }
    }

    private static String uncompressedHint(byte[] start) {
        if (start.length == 4 && start[0] == 0 && start[1] == 0 && start[2] == 0x08
                && (start[3] == 0x01 || start[3] == 0x03)) {
            return " (it looks like an uncompressed IDX file: compress it with 'gzip FILE')";
        }
        return "";
    }

    private static void closeAfterFailure(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Reads and checks the 16-byte images header; returns the declared image count. */
    private static int readImagesHeader(InputStream in, Source source) {
        int magic = readHeaderInt(in, source, 0, IMAGES_HEADER_BYTES);
        if (magic != IMAGES_MAGIC) {
            throw badMagic(source, IMAGES_MAGIC, magic, "images");
        }
        int count = readHeaderInt(in, source, 4, IMAGES_HEADER_BYTES);
        int rows = readHeaderInt(in, source, 8, IMAGES_HEADER_BYTES);
        int columns = readHeaderInt(in, source, 12, IMAGES_HEADER_BYTES);
        if (rows != LabeledImages.ROWS || columns != LabeledImages.COLUMNS) {
            throw new DatasetFormatException(
                    source.location(),
                    "wrong image dimensions: expected 28x28, found " + rows + "x" + columns
                            + " (this is not Fashion-MNIST)",
                    source.remedy());
        }
        if (count < 0) {
            throw new DatasetFormatException(
                    source.location(), "negative image count in the header: " + count,
                    source.remedy());
        }
        return count;
    }

    /** Reads and checks the 8-byte labels header; returns the declared label count. */
    private static int readLabelsHeader(InputStream in, Source source) {
        int magic = readHeaderInt(in, source, 0, LABELS_HEADER_BYTES);
        if (magic != LABELS_MAGIC) {
            throw badMagic(source, LABELS_MAGIC, magic, "labels");
        }
        int count = readHeaderInt(in, source, 4, LABELS_HEADER_BYTES);
        if (count < 0) {
            throw new DatasetFormatException(
                    source.location(), "negative label count in the header: " + count,
                    source.remedy());
        }
        return count;
    }

    private static DatasetFormatException badMagic(
            Source source, int expected, int found, String kind) {
        String hint;
        if (found == IMAGES_MAGIC || found == LABELS_MAGIC) {
            hint = " (this is an IDX " + (found == IMAGES_MAGIC ? "images" : "labels")
                    + " file: are the images and labels files swapped?)";
        } else if ((found >>> 16) == 0x1f8b) {
            hint = " (the data inside is gzip-compressed a second time: gunzip it once)";
        } else {
            hint = " (this is not an IDX file)";
        }
        return new DatasetFormatException(
                source.location(),
                "bad magic number: expected " + expected + " (IDX " + kind + "), found " + found
                        + " (0x" + String.format(Locale.ROOT, "%08x", found) + ")" + hint,
                source.remedy());
    }

    private static int readHeaderInt(InputStream in, Source source, int offset, int headerBytes) {
        byte[] b = new byte[4];
        int read = read(in, b, source, "IDX header", offset, headerBytes);
        if (read < 4) {
            throw new DatasetFormatException(
                    source.location(),
                    "truncated: the data ends after " + (offset + read) + " bytes, inside the "
                            + headerBytes + "-byte IDX header",
                    source.remedy());
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static void readBody(
            InputStream in, byte[] body, Source source, String what, int headerBytes,
            String declared) {
        int read = read(in, body, source, what, headerBytes, headerBytes + body.length);
        if (read < body.length) {
            throw new DatasetFormatException(
                    source.location(),
                    "truncated: expected " + body.length + " bytes of " + what + " after the "
                            + headerBytes + "-byte header (" + declared + "), found " + read,
                    source.remedy());
        }
    }

    /**
     * Checks that the data ends where the header says. Any extra data is read to the end first,
     * so that gzip damage (caught by the CRC in the trailer) is reported as such rather than as
     * a wrong header count.
     */
    private static void expectEnd(InputStream in, Source source, String declared) {
        byte[] probe = new byte[BUFFER_BYTES];
        long extra = 0;
        int n;
        while ((n = read(in, probe, source, "end of data", -1, -1)) > 0) {
            extra += n;
        }
        if (extra > 0) {
            throw new DatasetFormatException(
                    source.location(),
                    "extra data: " + extra + " more bytes after the " + declared
                            + " declared in the header (the header count is wrong)",
                    source.remedy());
        }
    }

    /**
     * Fills {@code buffer} until it is full or the data ends; returns how many bytes were read.
     * Gzip damage is reported with the position reached, counted in uncompressed bytes from
     * the start of the file ({@code offset} is where {@code buffer} starts; -1 when unknown).
     */
    private static int read(
            InputStream in, byte[] buffer, Source source, String what, int offset,
            int expectedEnd) {
        int filled = 0;
        try {
            while (filled < buffer.length) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            return filled;
        } catch (EOFException e) {
            throw new DatasetFormatException(
                    source.location(),
                    "truncated: the gzip stream ends early, " + position(what, offset, filled,
                            expectedEnd) + " (zlib: " + e.getMessage() + ")",
                    source.remedy(), e);
        } catch (ZipException e) {
            String problem = offset < 0
                    ? "unreadable gzip: the CRC or length check at the end of the gzip stream"
                            + " failed, so the data is corrupt"
                    : "unreadable gzip: the compressed data is corrupt, "
                            + position(what, offset, filled, expectedEnd);
            throw new DatasetFormatException(
                    source.location(), problem + " (zlib: " + e.getMessage() + ")",
                    source.remedy(), e);
        } catch (IOException e) {
            throw new DatasetFormatException(
                    source.location(),
                    "file cannot be read, " + position(what, offset, filled, expectedEnd)
                            + " (" + e + ")",
                    source.remedy(), e);
        }
    }

    private static String position(String what, int offset, int filled, int expectedEnd) {
        if (offset < 0) {
            return "after the declared data";
        }
        return "in the " + what + " after " + (offset + filled) + " of " + expectedEnd
                + " uncompressed bytes";
    }

    private static void checkLabelRange(byte[] labels, Source source) {
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= LabeledImages.CLASSES) {
                throw new DatasetFormatException(
                        source.location(),
                        "label out of range: label " + i + " is " + label
                                + ", Fashion-MNIST labels are in 0..9",
                        source.remedy());
            }
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return s.toString();
    }

    /**
     * Writes one split as gzip-compressed IDX files at the maximum compression level. The gzip
     * header carries no file name or time stamp, so equal data gives equal files on one JDK.
     */
    static void writeSplit(LabeledImages data, Path imagesFile, Path labelsFile)
            throws IOException {
        try (DataOutputStream out = new DataOutputStream(maxGzip(imagesFile))) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(data.size());
            out.writeInt(LabeledImages.ROWS);
            out.writeInt(LabeledImages.COLUMNS);
            out.write(data.pixelArray());
        }
        try (DataOutputStream out = new DataOutputStream(maxGzip(labelsFile))) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(data.size());
            out.write(data.labelArray());
        }
    }

    private static OutputStream maxGzip(Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES);
        return new BufferedOutputStream(
                new GZIPOutputStream(raw, BUFFER_BYTES) {
                    {
                        def.setLevel(Deflater.BEST_COMPRESSION);
                    }
                },
                BUFFER_BYTES);
    }
}
