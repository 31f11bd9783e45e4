package org.topiary.examples.cli;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.distill.KdDataSetIterator;
import org.topiary.distill.TeacherSource;
import org.topiary.examples.train.TrainingData;

/**
 * Training data whose training batches carry {@code [hard labels | teacher logits]} (a {@link
 * KdDataSetIterator}); the test batches are unchanged.
 */
final class DistilledData implements TrainingData {
    private final TrainingData data;
    private final TeacherSource teacher;

    DistilledData(TrainingData data, TeacherSource teacher) {
        this.data = data;
        this.teacher = teacher;
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
        return KdDataSetIterator.wrap(data.trainIterator(batchSize, seed), teacher);
    }

    @Override
    public DataSetIterator testIterator(int batchSize) {
        return data.testIterator(batchSize);
    }
}
