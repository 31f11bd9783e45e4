package org.topiary.examples.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writes small, deliberately broken or well-formed IDX files for tests. */
final class IdxFixtures {

    private IdxFixtures() {}

    /**
     * Writes a gzip images file with the given header and {@code pixelBytes} zero pixels (zeros
     * compress to almost nothing, so a full-size body costs ~50 KB on disk).
     */
    static void images(Path file, int magic, int count, int rows, int columns, long pixelBytes)
            throws IOException {
        try (DataOutputStream out = new DataOutputStream(fastGzip(file))) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(columns);
            writeZeros(out, pixelBytes);
        }
    }

    /** A well-formed header for {@code count} black 28x28 images, with all their pixels. */
    static void blackImages(Path file, int count) throws IOException {
        images(file, IdxFiles.IMAGES_MAGIC, count, 28, 28, (long) count * LabeledImages.PIXELS);
    }

    /** A well-formed file of {@code count} images with pseudo-random pixels in 0..3. */
    static void noisyImages(Path file, int count, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] image = new byte[LabeledImages.PIXELS];
        try (DataOutputStream out = new DataOutputStream(fastGzip(file))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(LabeledImages.ROWS);
            out.writeInt(LabeledImages.COLUMNS);
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < image.length; p++) {
                    image[p] = (byte) random.nextInt(4);
                }
                out.write(image);
            }
        }
    }

    /** Writes a gzip labels file with the given header and label bytes. */
    static void labels(Path file, int magic, int count, byte[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(fastGzip(file))) {
            out.writeInt(magic);
            out.writeInt(count);
            out.write(labels);
        }
    }

    /** A well-formed labels file of {@code count} labels, all 0. */
    static void zeroLabels(Path file, int count) throws IOException {
        labels(file, IdxFiles.LABELS_MAGIC, count, new byte[count]);
    }

    /** Creates every Fashion-MNIST file that {@code dir} lacks as an empty file. */
    static void fillWithEmptyFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : FashionMnist.FILE_NAMES) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }
    }

    /**
     * Copies files of the full set into {@code dir} (copies, not links: JUnit warns about links
     * leaving a temporary directory).
     */
    static void copyFromFullSet(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String name : names) {
            Files.copy(FullDataset.dir().resolve(name), dir.resolve(name));
        }
    }

    /** Copies the four files of the full set into {@code dir}. */
    static void copyFullSet(Path dir) throws IOException {
        copyFromFullSet(dir, FashionMnist.FILE_NAMES.toArray(new String[0]));
    }

    private static OutputStream fastGzip(Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file));
        return new BufferedOutputStream(
                new GZIPOutputStream(raw) {
                    {
                        def.setLevel(Deflater.BEST_SPEED);
                    }
                });
    }

    private static void writeZeros(OutputStream out, long bytes) throws IOException {
        byte[] zeros = new byte[1 << 16];
        for (long left = bytes; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }
}
