package org.topiary.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The class-balanced subset of Fashion-MNIST shipped as resources under {@code
 * org/topiary/examples/data/fashion-mnist-subset/}, in the same gzip IDX format as the full set.
 *
 * <p>It holds the first {@value #TRAIN_PER_CLASS} training images of each class and the first
 * {@value #TEST_PER_CLASS} test images of each class, in file order. It was made from the files
 * of the Debian package {@code dataset-fashion-mnist} (0.0~git20200523.55506a9-1) with:
 *
 * <pre>
 * mvn -B -q -pl examples -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt
 * java -cp examples/target/classes:$(cat examples/target/cp.txt) \
 *     org.topiary.examples.data.EmbeddedSubset /usr/share/datasets/fashion-mnist \
 *     examples/src/main/resources/org/topiary/examples/data/fashion-mnist-subset
 * </pre>
 *
 * <p>{@code EmbeddedSubsetTest} checks that the resources equal the subset taken from the full
 * set.
 */
final class EmbeddedSubset {

    static final String RESOURCE_DIR = "fashion-mnist-subset/";
    static final int TRAIN_PER_CLASS = 1_000;
    static final int TEST_PER_CLASS = 200;

    static final String SOURCE =
            "embedded subset (" + TRAIN_PER_CLASS * LabeledImages.CLASSES + " train / "
                    + TEST_PER_CLASS * LabeledImages.CLASSES
                    + " test; install dataset-fashion-mnist or pass --data DIR for the full set)";

    private EmbeddedSubset() {}

    /** Reads the subset from the classpath. */
    static FashionMnist load() {
        LabeledImages train = IdxFiles.readSplit(
                IdxFiles.Source.resource(EmbeddedSubset.class,
                        RESOURCE_DIR + FashionMnist.TRAIN_IMAGES),
                IdxFiles.Source.resource(EmbeddedSubset.class,
                        RESOURCE_DIR + FashionMnist.TRAIN_LABELS),
                TRAIN_PER_CLASS * LabeledImages.CLASSES, "embedded training subset");
        LabeledImages test = IdxFiles.readSplit(
                IdxFiles.Source.resource(EmbeddedSubset.class,
                        RESOURCE_DIR + FashionMnist.TEST_IMAGES),
                IdxFiles.Source.resource(EmbeddedSubset.class,
                        RESOURCE_DIR + FashionMnist.TEST_LABELS),
                TEST_PER_CLASS * LabeledImages.CLASSES, "embedded test subset");
        return new FashionMnist(train, test, SOURCE, true);
    }

    /**
     * The first {@code perClass} examples of every class, in file order.
     *
     * @throws IllegalArgumentException if a class has fewer than {@code perClass} examples
     */
    static LabeledImages firstPerClass(LabeledImages all, int perClass) {
        int[] taken = new int[LabeledImages.CLASSES];
        int[] indices = new int[perClass * LabeledImages.CLASSES];
        int n = 0;
        for (int i = 0; i < all.size() && n < indices.length; i++) {
            int label = all.label(i);
            if (taken[label] < perClass) {
                taken[label]++;
                indices[n++] = i;
            }
        }
        if (n < indices.length) {
            throw new IllegalArgumentException(
                    "Every class needs " + perClass + " examples, found per class "
                            + Arrays.toString(taken));
        }
        return all.select(indices);
    }

    /**
     * Writes the subset of {@code full} into {@code dir} as the four gzip IDX files.
     *
     * @param full the full dataset
     * @param dir the output directory, created if needed
     * @throws IllegalArgumentException if {@code full} is itself the embedded subset
     */
    static void writeSubset(FashionMnist full, Path dir) {
        if (full.isEmbeddedSubset()) {
            throw new IllegalArgumentException(
                    "full must be the full dataset, found the embedded subset; load it with"
                            + " FashionMnist.loadFrom(dir)");
        }
        try {
            Files.createDirectories(dir);
            IdxFiles.writeSplit(firstPerClass(full.train(), TRAIN_PER_CLASS),
                    dir.resolve(FashionMnist.TRAIN_IMAGES), dir.resolve(FashionMnist.TRAIN_LABELS));
            IdxFiles.writeSplit(firstPerClass(full.test(), TEST_PER_CLASS),
                    dir.resolve(FashionMnist.TEST_IMAGES), dir.resolve(FashionMnist.TEST_LABELS));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the subset into " + dir, e);
        }
    }

    /**
     * Regenerates the resources: {@code EmbeddedSubset FULL_DIR OUT_DIR}.
     *
     * @param args the directory of the full set and the output directory
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedSubset FULL_DIR OUT_DIR");
            System.exit(2);
        }
        FashionMnist full = FashionMnist.loadFrom(Path.of(args[0]));
        Path out = Path.of(args[1]);
        writeSubset(full, out);
        System.out.println("Wrote the subset of " + full.source() + " to " + out.toAbsolutePath());
    }
}
