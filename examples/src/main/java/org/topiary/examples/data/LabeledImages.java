package org.topiary.examples.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * An immutable set of 28x28 grayscale images with class labels 0..9, held compactly as bytes
 * (784 bytes per image plus one byte per label; 60,000 images take 47 MB).
 *
 * <p>Examples keep the order of the file they came from. Iterators convert minibatches to
 * {@code float32} on the fly; see {@link #shuffledIterator(int, long)}.
 */
public final class LabeledImages {

    /** Image height in pixels. */
    public static final int ROWS = 28;
    /** Image width in pixels. */
    public static final int COLUMNS = 28;
    /** Pixels per image, the length of a feature row: 784. */
    public static final int PIXELS = ROWS * COLUMNS;
    /** Number of classes; labels are in {@code 0..CLASSES-1}. */
    public static final int CLASSES = 10;

    private final byte[] pixels;
    private final byte[] labels;

    /** Takes ownership of both arrays; the caller has checked that labels are in 0..9. */
    LabeledImages(byte[] pixels, byte[] labels) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(
                    "pixels.length must be labels.length * " + PIXELS + " = "
                            + (labels.length * PIXELS) + ", found " + pixels.length);
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    /** @return the number of examples */
    public int size() {
        return labels.length;
    }

    /**
     * @param index example index, in file order
     * @return its class, in 0..9
     */
    public int label(int index) {
        Objects.checkIndex(index, labels.length);
        return labels[index];
    }

    /**
     * @param index example index, in file order
     * @return a copy of its 784 pixels, row-major; read each as unsigned ({@code b & 0xff}, 0 is
     *     background, 255 is full intensity)
     */
    public byte[] image(int index) {
        Objects.checkIndex(index, labels.length);
        return Arrays.copyOfRange(pixels, index * PIXELS, (index + 1) * PIXELS);
    }

    /** @return a new array: element {@code c} is the number of examples of class {@code c} */
    public int[] classCounts() {
        int[] counts = new int[CLASSES];
        for (byte label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Minibatches in file order, the same in every epoch. For evaluation.
     *
     * @param batchSize examples per minibatch, {@code >= 1}; the last one may be smaller
     * @return a new iterator, see {@link #shuffledIterator(int, long)} for the array layout
     */
    public DataSetIterator iterator(int batchSize) {
        return ImageBatchIterator.inFileOrder(this, batchSize);
    }

    /**
     * Minibatches in a new seeded order every epoch. For training.
     *
     * <p>Each {@link org.nd4j.linalg.dataset.DataSet} has features {@code [b, 784]} float32 =
     * pixel / 255 (in [0, 1]) and one-hot labels {@code [b, 10]} float32. An epoch visits every
     * example exactly once, in batches of {@code batchSize} followed by one smaller batch for the
     * remainder (60,000 examples at 128 give 468 full batches and one of 96). Epoch {@code e}
     * (0 for the first) uses the permutation {@link Permutations#epochOrder(int, long, long)} of
     * {@code seed} and {@code e}: the same seed always gives the same sequence of orders.
     * {@code reset()} moves to the next epoch's order once at least one batch of the current
     * epoch has been taken (resetting an untouched epoch changes nothing), which is what DL4J's
     * {@code fit(iterator, epochs)} does between epochs.
     *
     * @param batchSize examples per minibatch, {@code >= 1}
     * @param seed the seed of the order
     * @return a new iterator; not thread-safe
     */
    public DataSetIterator shuffledIterator(int batchSize, long seed) {
        return ImageBatchIterator.shuffled(this, batchSize, seed);
    }

    /**
     * Splits off a class-stratified validation set: from each class, {@code
     * round(classCount * validationFraction)} examples chosen by a seeded shuffle of that class
     * ({@link Permutations#classOrder(int, long, int)}) go to validation, the rest stay in
     * training. Both parts keep file order. Use it for model selection; never tune on the test
     * set.
     *
     * @param validationFraction fraction of each class to hold out, in (0, 1)
     * @param seed the seed of the choice
     * @return the two disjoint parts, which together hold every example once
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or would leave a class
     *     with no training or no validation example
     */
    public TrainValidationSplit stratifiedSplit(double validationFraction, long seed) {
        if (!(validationFraction > 0.0 && validationFraction < 1.0)) {
            throw new IllegalArgumentException(
                    "validationFraction must be in (0, 1), found " + validationFraction);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        boolean[] toValidation = new boolean[labels.length];
        int validationSize = 0;
        for (int c = 0; c < CLASSES; c++) {
            List<Integer> members = byClass.get(c);
            if (members.isEmpty()) {
                continue;
            }
            long take = Math.round(members.size() * validationFraction);
            if (take == 0 || take == members.size()) {
                throw new IllegalArgumentException(
                        "validationFraction=" + validationFraction + " leaves class " + c
                                + " (" + members.size() + " examples) with "
                                + (take == 0 ? "no validation" : "no training")
                                + " example; choose a fraction between " + (1.0 / members.size())
                                + " and " + (1.0 - 1.0 / members.size()));
            }
            int[] order = Permutations.classOrder(members.size(), seed, c);
            for (int k = 0; k < take; k++) {
                toValidation[members.get(order[k])] = true;
            }
            validationSize += (int) take;
        }
        int[] train = new int[labels.length - validationSize];
        int[] validation = new int[validationSize];
        int t = 0;
        int v = 0;
        for (int i = 0; i < labels.length; i++) {
            if (toValidation[i]) {
                validation[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new TrainValidationSplit(select(train), select(validation));
    }

    /** The examples at {@code indices}, in that order, copied into a new set. */
    LabeledImages select(int[] indices) {
        byte[] selectedPixels = new byte[indices.length * PIXELS];
        byte[] selectedLabels = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = Objects.checkIndex(indices[k], labels.length);
            System.arraycopy(pixels, i * PIXELS, selectedPixels, k * PIXELS, PIXELS);
            selectedLabels[k] = labels[i];
        }
        return new LabeledImages(selectedPixels, selectedLabels);
    }

    /** The backing pixel array, shared: never modify it. */
    byte[] pixelArray() {
        return pixels;
    }

    /** The backing label array, shared: never modify it. */
    byte[] labelArray() {
        return labels;
    }

    @Override
    public String toString() {
        return "LabeledImages[" + size() + " examples, per class " + Arrays.toString(classCounts())
                + "]";
    }
}
