package org.topiary.examples.cli;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.train.TrainingData;

/** Adapts the Fashion-MNIST loader to the trainer's {@link TrainingData}. */
final class FashionMnistData implements TrainingData {

    private final FashionMnist data;

    private FashionMnistData(FashionMnist data) {
        this.data = data;
    }

    /**
     * Loads Fashion-MNIST as {@code --data} selects.
     *
     * @param choice search, embedded, or one directory
     * @return the data
     */
    static TrainingData load(DataChoice choice) {
        return new FashionMnistData(loadFashionMnist(choice));
    }

    /**
     * Loads Fashion-MNIST as {@code --data} selects, as the loader's own type (for commands that
     * split the training set or need the data set itself).
     *
     * @param choice search, embedded, or one directory
     * @return the data
     */
    static FashionMnist loadFashionMnist(DataChoice choice) {
        return switch (choice.kind()) {
            case SEARCH -> FashionMnist.load(null);
            case EMBEDDED -> FashionMnist.embedded();
            case DIRECTORY -> FashionMnist.load(choice.directory().orElseThrow());
        };
    }

    /** The loaded data set (for commands that split the training set, e.g. {@code search}). */
    FashionMnist fashionMnist() {
        return data;
    }

    @Override
    public String source() {
        return data.source();
    }

    @Override
    public boolean isEmbeddedSubset() {
        return data.isEmbeddedSubset();
    }

    @Override
    public int trainSize() {
        return data.trainSize();
    }

    @Override
    public int testSize() {
        return data.testSize();
    }

    @Override
    public DataSetIterator trainIterator(int batchSize, long seed) {
        return data.trainIterator(batchSize, seed);
    }

    @Override
    public DataSetIterator testIterator(int batchSize) {
        return data.testIterator(batchSize);
    }
}
