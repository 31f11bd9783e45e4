package org.topiary.examples.search;

import java.util.Objects;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.examples.train.TrainingData;

/**
 * A {@link TrainValidationSplit} seen as {@link TrainingData} whose "test" side is the
 * validation split: what a search candidate trains and is scored on. The test set is not part
 * of it, so no candidate can see it.
 */
public final class ValidationData implements TrainingData {

    private final TrainValidationSplit split;
    private final String source;

    private ValidationData(TrainValidationSplit split, String source) {
        this.split = Objects.requireNonNull(split, "split");
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * @param split training and validation examples
     * @param source where the examples came from, for reports
     * @return the data
     */
    public static ValidationData of(TrainValidationSplit split, String source) {
        return new ValidationData(split, source);
    }

    @Override
    public String source() {
        return source + " (train " + split.train().size() + " / validation " + split.validation().size() + ")";
    }

    @Override
    public boolean isEmbeddedSubset() {
        return false;
    }

    @Override
    public int trainSize() {
        return split.train().size();
    }

    /** The validation examples. */
    @Override
    public int testSize() {
        return split.validation().size();
    }

    @Override
    public DataSetIterator trainIterator(int batchSize, long seed) {
        return split.trainIterator(batchSize, seed);
    }

    /** The validation examples, in a fixed order. */
    @Override
    public DataSetIterator testIterator(int batchSize) {
        return split.validationIterator(batchSize);
    }
}
