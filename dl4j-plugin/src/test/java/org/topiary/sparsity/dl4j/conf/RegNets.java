package org.topiary.sparsity.dl4j.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks whose layers get regularizers chosen per layer index, and data that fits them. */
final class RegNets {
    private RegNets() {}

    static final int DENSE_IN = 10;
    static final int CLASSES = 3;

    /** No regularizers for layer i. */
    static List<Regularization> none(int i) {
        return List.of();
    }

    /**
     * 10-16-12-3 (tanh, tanh, softmax + MCXENT); {@code weights.apply(i)} and {@code
     * biases.apply(i)} are layer i's regularizers. Biases start at 0.1 so that L1 on them is
     * differentiable where it is checked.
     */
    static MultiLayerNetwork dense(
            DataType dt, IUpdater updater, long seed, IntFunction<List<Regularization>> weights,
            IntFunction<List<Regularization>> biases) {
        int[] sizes = {DENSE_IN, 16, 12, CLASSES};
        NeuralNetConfiguration.ListBuilder b =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(dt)
                        .weightInit(WeightInit.XAVIER)
                        .biasInit(0.1)
                        .updater(updater)
                        .list();
        for (int i = 0; i < 3; i++) {
            BaseLayer.Builder<?> lb =
                    i < 2
                            ? new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1]).activation(Activation.TANH)
                            : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                    .nIn(sizes[i])
                                    .nOut(sizes[i + 1])
                                    .activation(Activation.SOFTMAX);
            lb.regularization(new ArrayList<>(weights.apply(i)));
            lb.regularizationBias(new ArrayList<>(biases.apply(i)));
            b.layer(lb.build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    /**
     * conv 2x2 (2 → 6 channels, tanh) on 5x5x2 images, then dense output (3 classes). Layer i's
     * weight regularizers are made from the built layer configuration, after setInputType
     * inferred nIn.
     */
    static MultiLayerNetwork conv(
            DataType dt, IUpdater updater, long seed,
            java.util.function.Function<BaseLayer, List<Regularization>> weightsFromLayer) {
        MultiLayerConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(dt)
                        .weightInit(WeightInit.XAVIER)
                        .biasInit(0.1)
                        .updater(updater)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .list()
                        .layer(new ConvolutionLayer.Builder(2, 2).nOut(6).activation(Activation.TANH).build())
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                                .activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.convolutional(5, 5, 2))
                        .build();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            BaseLayer l = (BaseLayer) conf.getConf(i).getLayer();
            l.setRegularization(new ArrayList<>(weightsFromLayer.apply(l)));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Random normal features of shape {@code featureShape} and one-hot labels. */
    static DataSet data(DataType dt, long seed, long... featureShape) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(dt, featureShape);
        int mb = (int) featureShape[0];
        INDArray y = Nd4j.zeros(dt, mb, CLASSES);
        for (int i = 0; i < mb; i++) {
            y.putScalar(i, (i * 7 + 3) % CLASSES, 1.0);
        }
        return new DataSet(x, y);
    }

    /** {@code a} (shaped) flattened in {@code order}, as a new rank-1 array. */
    static INDArray flat(INDArray a, char order) {
        return a.dup(order).reshape(order, new long[] {a.length()});
    }
}
