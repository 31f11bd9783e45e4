package org.topiary.examples.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Creates a fresh, initialised network; {@link ModelZoo} methods fit this shape. */
@FunctionalInterface
public interface ModelFactory {

    /**
     * Builds and initialises a new network.
     *
     * @param seed seed for the weight initialisation (and dropout)
     * @return a network on which {@code init()} has been called
     */
    MultiLayerNetwork create(long seed);
}
