package org.topiary.examples.search;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Builds a candidate's network. Called once per candidate, on the candidate's thread; it must
 * return a new, initialised network each time (no sharing between candidates).
 */
@FunctionalInterface
public interface NetworkFactory {

    /**
     * @param seed initialisation seed
     * @param weightRegularizers regularizers for every weight matrix (never biases); may be empty
     * @return a new initialised network
     */
    MultiLayerNetwork create(long seed, List<Regularization> weightRegularizers);

    /** LeNet-300-100 exactly as {@code ModelZoo.lenet300100}, plus the weight regularizers. */
    static NetworkFactory lenet300100() {
        return SearchNets::lenet300100;
    }
}
