package org.topiary.examples.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The networks of the benchmark protocols ({@code DESIGN.md}). All take flat {@code [batch, 784]}
 * inputs in {@code [0, 1]} and one-hot {@code [batch, 10]} labels, use {@code DataType.FLOAT},
 * Adam with learning rate 1e-3, Xavier initialisation, and softmax + multi-class cross-entropy.
 */
public final class ModelZoo {

    /** Input features of a flattened 28×28 image. */
    public static final int INPUTS = 28 * 28;

    /** Fashion-MNIST classes. */
    public static final int CLASSES = 10;

    /** Adam learning rate of every protocol. */
    public static final double LEARNING_RATE = 1e-3;

    private ModelZoo() {}

    /**
     * LeNet-300-100: dense 784-300-100-10 with ReLU (FMNIST-GMP, FMNIST-ONESHOT, FMNIST-STRUCT).
     * Layers are named {@code fc1}, {@code fc2}, {@code out}; 266,610 parameters.
     *
     * @param seed initialisation seed
     * @return an initialised network
     */
    public static MultiLayerNetwork lenet300100(long seed) {
        MultiLayerConfiguration conf =
                base(seed)
                        .list()
                        .layer(dense("fc1", 300))
                        .layer(dense("fc2", 100))
                        .layer(output())
                        .setInputType(InputType.feedForward(INPUTS))
                        .build();
        return init(conf);
    }

    /**
     * The FMNIST-KD teacher: conv 5×5×32 → ReLU → max-pool 2 → conv 5×5×64 → ReLU → max-pool 2 →
     * dense 256 (ReLU, dropout 0.3) → 10. Input type {@code convolutionalFlat(28, 28, 1)}, so the
     * flat iterator feeds it unchanged. Layers are named {@code conv1}, {@code pool1}, {@code
     * conv2}, {@code pool2}, {@code fc}, {@code out}.
     *
     * <p>Dropout 0.3 means 30% of activations are dropped: DL4J's {@code Dropout(p)} takes the
     * <em>retain</em> probability, so this is {@code new Dropout(0.7)}.
     *
     * @param seed initialisation and dropout seed
     * @return an initialised network
     */
    public static MultiLayerNetwork smallCnn(long seed) {
        MultiLayerConfiguration conf =
                base(seed)
                        .list()
                        .layer(conv("conv1", 32))
                        .layer(maxPool("pool1"))
                        .layer(conv("conv2", 64))
                        .layer(maxPool("pool2"))
                        .layer(
                                new DenseLayer.Builder()
                                        .name("fc")
                                        .nOut(256)
                                        .activation(Activation.RELU)
                                        .dropOut(new Dropout(0.7))
                                        .build())
                        .layer(output())
                        .setInputType(InputType.convolutionalFlat(28, 28, 1))
                        .build();
        return init(conf);
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER);
    }

    private static DenseLayer dense(String name, int units) {
        return new DenseLayer.Builder().name(name).nOut(units).activation(Activation.RELU).build();
    }

    private static ConvolutionLayer conv(String name, int filters) {
        return new ConvolutionLayer.Builder(5, 5)
                .name(name)
                .stride(1, 1)
                .nOut(filters)
                .activation(Activation.RELU)
                .build();
    }

    private static SubsamplingLayer maxPool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .name(name)
                .kernelSize(2, 2)
                .stride(2, 2)
                .build();
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunction.MCXENT)
                .name("out")
                .nOut(CLASSES)
                .activation(Activation.SOFTMAX)
                .build();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
