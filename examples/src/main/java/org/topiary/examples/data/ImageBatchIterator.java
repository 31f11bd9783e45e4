package org.topiary.examples.data;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns {@link LabeledImages} into DL4J minibatches: features {@code [b, 784]} float32 = pixel /
 * 255, one-hot labels {@code [b, 10]} float32, either in file order or in a seeded order per
 * epoch (see {@link LabeledImages#shuffledIterator(int, long)}).
 *
 * <p>This is the training hot path. Each batch is converted into two reusable {@code float[]}
 * buffers and copied once into native memory by {@code Nd4j.create}, so a returned batch never
 * shares memory with the next one. The preprocessor, if any, runs on every batch before it is
 * returned.
 */
final class ImageBatchIterator implements DataSetIterator {

    private static final float[] INTENSITY = new float[256];

    static {
        for (int value = 0; value < INTENSITY.length; value++) {
            INTENSITY[value] = value / 255f;
        }
    }

    private final LabeledImages data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;

    /** The example index at each position of the current epoch; null for file order. */
    private int[] order;
    private long epoch;
    private int cursor;
    private DataSetPreProcessor preProcessor;
    private float[] featureBuffer = new float[0];
    private float[] labelBuffer = new float[0];

    private ImageBatchIterator(LabeledImages data, int batchSize, boolean shuffle, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = shuffle ? Permutations.epochOrder(data.size(), seed, 0) : null;
    }

    static ImageBatchIterator inFileOrder(LabeledImages data, int batchSize) {
        return new ImageBatchIterator(data, batchSize, false, 0L);
    }

    static ImageBatchIterator shuffled(LabeledImages data, int batchSize, long seed) {
        return new ImageBatchIterator(data, batchSize, true, seed);
    }

    @Override
    public boolean hasNext() {
        return cursor < data.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (num < 1) {
            throw new IllegalArgumentException("num must be >= 1, found " + num);
        }
        if (!hasNext()) {
            throw new NoSuchElementException(
                    "Epoch " + epoch + " is exhausted (" + data.size()
                            + " examples); call reset() to start the next epoch");
        }
        int b = Math.min(num, data.size() - cursor);
        if (featureBuffer.length != b * LabeledImages.PIXELS) {
            featureBuffer = new float[b * LabeledImages.PIXELS];
            labelBuffer = new float[b * LabeledImages.CLASSES];
        } else {
            Arrays.fill(labelBuffer, 0f);
        }
        byte[] pixels = data.pixelArray();
        byte[] labels = data.labelArray();
        float[] features = featureBuffer;
        for (int k = 0; k < b; k++) {
            int example = order == null ? cursor + k : order[cursor + k];
            int from = example * LabeledImages.PIXELS;
            int to = k * LabeledImages.PIXELS;
            for (int p = 0; p < LabeledImages.PIXELS; p++) {
                features[to + p] = INTENSITY[pixels[from + p] & 0xff];
            }
            labelBuffer[k * LabeledImages.CLASSES + labels[example]] = 1f;
        }
        cursor += b;
        INDArray featureArray =
                Nd4j.create(features, new long[] {b, LabeledImages.PIXELS}, DataType.FLOAT);
        INDArray labelArray =
                Nd4j.create(labelBuffer, new long[] {b, LabeledImages.CLASSES}, DataType.FLOAT);
        DataSet batch = new DataSet(featureArray, labelArray);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public int inputColumns() {
        return LabeledImages.PIXELS;
    }

    @Override
    public int totalOutcomes() {
        return LabeledImages.CLASSES;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /**
     * Starts the next epoch if at least one batch of the current one was taken; otherwise does
     * nothing, so a second reset does not skip an epoch.
     */
    @Override
    public void reset() {
        if (cursor == 0) {
            return;
        }
        epoch++;
        cursor = 0;
        if (shuffle) {
            order = Permutations.epochOrder(data.size(), seed, epoch);
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** @return the Fashion-MNIST class names, index = label */
    @Override
    public List<String> getLabels() {
        return FashionMnist.CLASS_NAMES;
    }

    /** @return the current epoch, 0 for the first */
    long epoch() {
        return epoch;
    }

    @Override
    public String toString() {
        return "ImageBatchIterator[" + data.size() + " examples, batch " + batchSize
                + (shuffle ? ", shuffled with seed " + seed : ", file order") + ", epoch " + epoch
                + ", position " + cursor + "]";
    }
}
