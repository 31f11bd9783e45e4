package org.topiary.examples.train;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small, easily separable 10-class data set with 784 features: class {@code c} lights up
 * features {@code [78c, 78c + 78)}. Deterministic for a seed.
 */
final class SyntheticData implements TrainingData {

    private final List<DataSet> train;
    private final List<DataSet> test;

    private SyntheticData(int trainSize, int testSize, long seed) {
        Random random = new Random(seed);
        this.train = make(trainSize, random).asList();
        this.test = make(testSize, random).asList();
    }

    static SyntheticData of(int trainSize, int testSize) {
        return new SyntheticData(trainSize, testSize, 42);
    }

    private static DataSet make(int n, Random random) {
        float[][] x = new float[n][ModelZoo.INPUTS];
        float[][] y = new float[n][ModelZoo.CLASSES];
        for (int i = 0; i < n; i++) {
            int c = i % ModelZoo.CLASSES;
            for (int f = 0; f < ModelZoo.INPUTS; f++) {
                boolean on = f / 78 == c;
                x[i][f] = (on ? 0.7f : 0f) + 0.3f * random.nextFloat();
            }
            y[i][c] = 1f;
        }
        INDArray features = Nd4j.create(x).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.create(y).castTo(DataType.FLOAT);
        return new DataSet(features, labels);
    }

    @Override
    public String source() {
        return "synthetic";
    }

    @Override
    public boolean isEmbeddedSubset() {
        return false;
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public int testSize() {
        return test.size();
    }

    @Override
    public DataSetIterator trainIterator(int batchSize, long seed) {
        return new ListDataSetIterator<>(train, batchSize);
    }

    @Override
    public DataSetIterator testIterator(int batchSize) {
        return new ListDataSetIterator<>(test, batchSize);
    }
}
