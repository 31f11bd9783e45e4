package org.topiary.examples.data;

import java.util.Objects;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Training data divided into a part to train on and a held-out part to select models with,
 * from {@link LabeledImages#stratifiedSplit(double, long)} or {@link FashionMnist#split(double,
 * long)}.
 *
 * @param train the examples to train on
 * @param validation the held-out examples, disjoint from {@code train}
 */
public record TrainValidationSplit(LabeledImages train, LabeledImages validation) {

    /** Checks that both parts are present. */
    public TrainValidationSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }

    /**
     * @param batchSize examples per minibatch, {@code >= 1}
     * @param seed the seed of the per-epoch order
     * @return {@code train().shuffledIterator(batchSize, seed)}
     */
    public DataSetIterator trainIterator(int batchSize, long seed) {
        return train.shuffledIterator(batchSize, seed);
    }

    /**
     * @param batchSize examples per minibatch, {@code >= 1}
     * @return {@code validation().iterator(batchSize)}, in a fixed order
     */
    public DataSetIterator validationIterator(int batchSize) {
        return validation.iterator(batchSize);
    }
}
