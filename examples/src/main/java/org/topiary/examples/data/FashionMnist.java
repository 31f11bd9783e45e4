package org.topiary.examples.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The Fashion-MNIST dataset (Xiao, Rasul and Vollgraf, 2017: 28x28 grayscale images of 10 kinds
 * of clothing, 60,000 for training and 10,000 for testing, 6,000 and 1,000 per class), loaded
 * once into compact arrays and served as DL4J minibatches.
 *
 * <p>Where the data comes from, by {@link #load(Path)}:
 *
 * <ol>
 *   <li>the directory given explicitly (the CLI's {@code --data DIR}); if it lacks a file or a
 *       file is damaged, that is an error, with no fallback;
 *   <li>otherwise {@code $FASHION_MNIST_DIR}, then {@value #SYSTEM_DIR} (Debian package {@code
 *       dataset-fashion-mnist}), then {@code ~/.topiary/datasets/fashion-mnist}: the first that
 *       holds all four files;
 *   <li>otherwise the subset embedded in this jar: the first 1,000 training and the first 200
 *       test images of every class, in file order (10,000 / 2,000 images).
 * </ol>
 *
 * <p>{@link #source()} says which one was used. A directory holds the four gzip-compressed IDX
 * files of the original distribution: {@code train-images-idx3-ubyte.gz}, {@code
 * train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz}, {@code
 * t10k-labels-idx1-ubyte.gz}. Every file is checked completely (see {@link
 * DatasetFormatException}); nothing is ever partially loaded.
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load(null);
 * log.info("Data: {}", data.source());
 * DataSetIterator train = data.trainIterator(128, seed);   // new order every epoch
 * DataSetIterator test = data.testIterator(256);           // fixed order
 * }</pre>
 *
 * <p>Instances are immutable and may be shared between threads; each iterator belongs to one
 * thread.
 */
public final class FashionMnist {

    /** The environment variable naming a directory with the four files. */
    public static final String ENV_VAR = "FASHION_MNIST_DIR";

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";

    /** The class names; the label of an image is an index into this list. */
    public static final List<String> CLASS_NAMES =
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    static final List<String> FILE_NAMES =
            List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    static final int FULL_TRAIN_SIZE = 60_000;
    static final int FULL_TEST_SIZE = 10_000;

    static final String HOW_TO_GET =
            "Install the full set with 'apt-get install dataset-fashion-mnist' (it goes to "
                    + SYSTEM_DIR + "), or put the four Fashion-MNIST files " + String.join(", ",
                    FILE_NAMES) + " into the directory.";

    private final LabeledImages train;
    private final LabeledImages test;
    private final String source;
    private final boolean embeddedSubset;

    FashionMnist(LabeledImages train, LabeledImages test, String source, boolean embeddedSubset) {
        this.train = Objects.requireNonNull(train, "train");
        this.test = Objects.requireNonNull(test, "test");
        this.source = Objects.requireNonNull(source, "source");
        this.embeddedSubset = embeddedSubset;
    }

    /**
     * Loads from {@code explicitDirOrNull} if given, else from the first standard directory that
     * holds the four files, else the embedded subset (see the class comment for the order).
     *
     * @param explicitDirOrNull a directory that must hold the full set, or null to search
     * @return the loaded data; {@link #source()} tells which
     * @throws DatasetFormatException if the explicit directory lacks a file, or if the chosen
     *     directory holds a damaged file (never falls back past a damaged file)
     */
    public static FashionMnist load(Path explicitDirOrNull) {
        return load(explicitDirOrNull, DataLocator.ofThisProcess());
    }

    /** {@link #load(Path)} with an injected environment, for tests. */
    static FashionMnist load(Path explicitDirOrNull, DataLocator locator) {
        if (explicitDirOrNull != null) {
            return loadFrom(explicitDirOrNull);
        }
        return locator.locate().map(FashionMnist::loadFrom).orElseGet(FashionMnist::embedded);
    }

    /**
     * Loads the full set from exactly this directory.
     *
     * @param dir a directory holding the four files
     * @return the 60,000 training and 10,000 test images
     * @throws DatasetFormatException if the directory or a file is missing, or a file is damaged
     *     or does not hold the expected Fashion-MNIST split
     */
    public static FashionMnist loadFrom(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new DatasetFormatException(
                    absolute.toString(),
                    Files.exists(absolute) ? "not a directory" : "directory not found",
                    HOW_TO_GET);
        }
        List<String> missing = DataLocator.missingFiles(absolute);
        if (!missing.isEmpty()) {
            throw new DatasetFormatException(
                    absolute.resolve(missing.get(0)).toString(),
                    "file not found: directory " + absolute + " lacks "
                            + String.join(", ", missing),
                    HOW_TO_GET);
        }
        LabeledImages train = IdxFiles.readSplit(
                IdxFiles.Source.file(absolute.resolve(TRAIN_IMAGES)),
                IdxFiles.Source.file(absolute.resolve(TRAIN_LABELS)),
                FULL_TRAIN_SIZE, "Fashion-MNIST training set");
        LabeledImages test = IdxFiles.readSplit(
                IdxFiles.Source.file(absolute.resolve(TEST_IMAGES)),
                IdxFiles.Source.file(absolute.resolve(TEST_LABELS)),
                FULL_TEST_SIZE, "Fashion-MNIST test set");
        String source = absolute + " (full: " + train.size() + " train / " + test.size() + " test)";
        return new FashionMnist(train, test, source, false);
    }

    /**
     * Loads the class-balanced subset shipped inside this jar: the first 1,000 training and the
     * first 200 test images of each class, in file order. Enough to run every example quickly;
     * accuracies on it are not comparable with published Fashion-MNIST results.
     *
     * @return 10,000 training and 2,000 test images
     */
    public static FashionMnist embedded() {
        return EmbeddedSubset.load();
    }

    /**
     * @return a human-readable description of the data, e.g. {@code
     *     "/usr/share/datasets/fashion-mnist (full: 60000 train / 10000 test)"} or {@code
     *     "embedded subset (10000 train / 2000 test; install dataset-fashion-mnist or pass --data
     *     DIR for the full set)"}
     */
    public String source() {
        return source;
    }

    /** @return true for the subset embedded in the jar, false for a full set from a directory */
    public boolean isEmbeddedSubset() {
        return embeddedSubset;
    }

    /** @return the number of training images: 60,000, or 10,000 for the embedded subset */
    public int trainSize() {
        return train.size();
    }

    /** @return the number of test images: 10,000, or 2,000 for the embedded subset */
    public int testSize() {
        return test.size();
    }

    /** @return the training images, in file order */
    public LabeledImages train() {
        return train;
    }

    /** @return the test images, in file order */
    public LabeledImages test() {
        return test;
    }

    /**
     * Training minibatches in a new seeded order every epoch; see {@link
     * LabeledImages#shuffledIterator(int, long)} for the layout and the order.
     *
     * @param batchSize examples per minibatch, {@code >= 1}; the last one of an epoch may be
     *     smaller (60,000 at 128: 469 batches)
     * @param seed the seed of the per-epoch order
     * @return a new iterator over the training images
     */
    public DataSetIterator trainIterator(int batchSize, long seed) {
        return train.shuffledIterator(batchSize, seed);
    }

    /**
     * Test minibatches in file order.
     *
     * @param batchSize examples per minibatch, {@code >= 1}
     * @return a new iterator over the test images
     */
    public DataSetIterator testIterator(int batchSize) {
        return test.iterator(batchSize);
    }

    /**
     * Holds out a class-stratified part of the training images for validation; see {@link
     * LabeledImages#stratifiedSplit(double, long)}. The test set is not touched.
     *
     * @param validationFraction fraction of each class to hold out, in (0, 1)
     * @param seed the seed of the choice
     * @return training and validation parts of the training images
     */
    public TrainValidationSplit split(double validationFraction, long seed) {
        return train.stratifiedSplit(validationFraction, seed);
    }

    @Override
    public String toString() {
        return "FashionMnist[" + source + "]";
    }
}
