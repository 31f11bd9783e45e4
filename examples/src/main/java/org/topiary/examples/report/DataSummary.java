package org.topiary.examples.report;

import java.util.Objects;
import org.topiary.examples.train.TrainingData;

/**
 * Which data a command trained on.
 *
 * @param source where the data came from (a directory, or the embedded subset)
 * @param embeddedSubset whether this is the small embedded subset
 * @param trainExamples number of training examples
 * @param testExamples number of test examples
 */
public record DataSummary(
        String source, boolean embeddedSubset, int trainExamples, int testExamples) {

    /** Validates the components. */
    public DataSummary {
        Objects.requireNonNull(source, "source");
        if (trainExamples < 0 || testExamples < 0) {
            throw new IllegalArgumentException(
                    "example counts must be >= 0, found train="
                            + trainExamples
                            + ", test="
                            + testExamples);
        }
    }

    /**
     * Summarises a data set.
     *
     * @param data the data set
     * @return its summary
     */
    public static DataSummary of(TrainingData data) {
        return new DataSummary(
                data.source(), data.isEmbeddedSubset(), data.trainSize(), data.testSize());
    }

    /**
     * One line: the source as the loader describes it (Fashion-MNIST's already names the split
     * sizes), e.g. {@code "/usr/share/datasets/fashion-mnist (full: 60000 train / 10000 test)"}.
     */
    public String describe() {
        return source;
    }
}
