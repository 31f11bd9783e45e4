package org.topiary.examples.train;

import java.util.function.UnaryOperator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A classification data set as the trainer needs it: flat features in {@code [0, 1]} and one-hot
 * labels. Fashion-MNIST ({@code org.topiary.examples.data.FashionMnist}) is adapted to this; tests
 * use small synthetic sets.
 */
public interface TrainingData {

    /** Where the data came from, e.g. a directory or {@code "embedded 10k/2k subset"}. */
    String source();

    /** Whether this is the small embedded subset rather than the full data set. */
    boolean isEmbeddedSubset();

    /** Number of training examples. */
    int trainSize();

    /** Number of test examples. */
    int testSize();

    /**
     * Training batches, reshuffled on every {@code reset()} from {@code seed}.
     *
     * @param batchSize examples per batch
     * @param seed shuffle seed
     * @return an iterator over one epoch
     */
    DataSetIterator trainIterator(int batchSize, long seed);

    /**
     * Test batches in a fixed order.
     *
     * @param batchSize examples per batch
     * @return an iterator over the test set
     */
    DataSetIterator testIterator(int batchSize);

    /**
     * The same data whose training iterators pass through {@code wrap} (e.g. to append teacher
     * logits to the labels); test iterators are unchanged.
     *
     * @param wrap applied to every training iterator
     * @return the wrapped data
     */
    default TrainingData withTrainIterators(UnaryOperator<DataSetIterator> wrap) {
        TrainingData base = this;
        return new TrainingData() {
            @Override
            public String source() {
                return base.source();
            }

            @Override
            public boolean isEmbeddedSubset() {
                return base.isEmbeddedSubset();
            }

            @Override
            public int trainSize() {
                return base.trainSize();
            }

            @Override
            public int testSize() {
                return base.testSize();
            }

            @Override
            public DataSetIterator trainIterator(int batchSize, long seed) {
                return wrap.apply(base.trainIterator(batchSize, seed));
            }

            @Override
            public DataSetIterator testIterator(int batchSize) {
                return base.testIterator(batchSize);
            }
        };
    }
}
