package org.topiary.sparsity.dl4j.testkit;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * Small networks of every supported kind, with a matching random-data batch, for tests in
 * Topiary's modules (dl4j-plugin test-jar).
 */
public final class TestNets {
    private TestNets() {}

    /** The five architectures the pruning listener is tested on. */
    public enum Arch {
        MLN_DENSE,
        CG_MERGE,
        CNN_BATCHNORM,
        LSTM,
        EMBEDDING_SELF_ATTENTION
    }

    /** A network and a batch that fits it. */
    public record Fixture(Model model, DataSet batch) {
        public void fitOnce() {
            if (model instanceof MultiLayerNetwork n) {
                n.fit(batch);
            } else {
                ((ComputationGraph) model).fit(batch);
            }
        }
    }

    private static NeuralNetConfiguration.Builder base(long seed, IUpdater updater, boolean weightDecay) {
        NeuralNetConfiguration.Builder b =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.FLOAT)
                        .weightInit(WeightInit.XAVIER)
                        .updater(updater);
        if (weightDecay) {
            b.regularization(java.util.List.of(new WeightDecay(1e-2, true)));
        }
        return b;
    }

    /** Builds {@code arch} with {@code updater} (plus decoupled weight decay when asked: AdamW). */
    public static Fixture build(Arch arch, IUpdater updater, boolean weightDecay, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int mb = 8;
        switch (arch) {
            case MLN_DENSE -> {
                MultiLayerConfiguration conf =
                        base(seed, updater, weightDecay)
                                .list()
                                .layer(new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.RELU).build())
                                .layer(new DenseLayer.Builder().nIn(16).nOut(12).activation(Activation.TANH).build())
                                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3).activation(Activation.SOFTMAX).build())
                                .build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                return new Fixture(net, new DataSet(Nd4j.randn(DataType.FLOAT, mb, 10), oneHot(mb, 3)));
            }
            case CG_MERGE -> {
                ComputationGraphConfiguration conf =
                        base(seed, updater, weightDecay)
                                .graphBuilder()
                                .addInputs("in")
                                .addLayer("left", new DenseLayer.Builder().nIn(10).nOut(12).activation(Activation.RELU).build(), "in")
                                .addLayer("right", new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.TANH).build(), "in")
                                .addVertex("merge", new MergeVertex(), "left", "right")
                                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(20).nOut(3).activation(Activation.SOFTMAX).build(), "merge")
                                .setOutputs("out")
                                .build();
                ComputationGraph cg = new ComputationGraph(conf);
                cg.init();
                return new Fixture(cg, new DataSet(Nd4j.randn(DataType.FLOAT, mb, 10), oneHot(mb, 3)));
            }
            case CNN_BATCHNORM -> {
                MultiLayerConfiguration conf =
                        base(seed, updater, weightDecay)
                                .list()
                                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                                .layer(new BatchNormalization.Builder().build())
                                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build())
                                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                                .setInputType(InputType.convolutionalFlat(10, 10, 1))
                                .build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                return new Fixture(net, new DataSet(Nd4j.rand(DataType.FLOAT, mb, 100), oneHot(mb, 3)));
            }
            case LSTM -> {
                MultiLayerConfiguration conf =
                        base(seed, updater, weightDecay)
                                .list()
                                .layer(new LSTM.Builder().nIn(5).nOut(6).activation(Activation.TANH).build())
                                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                                .build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                int t = 4;
                INDArray labels = Nd4j.zeros(DataType.FLOAT, mb, 3, t);
                for (int i = 0; i < mb; i++) {
                    for (int j = 0; j < t; j++) {
                        labels.putScalar(new int[] {i, (i + j) % 3, j}, 1f);
                    }
                }
                return new Fixture(net, new DataSet(Nd4j.randn(DataType.FLOAT, mb, 5, t), labels));
            }
            case EMBEDDING_SELF_ATTENTION -> {
                int vocab = 20;
                int len = 5;
                MultiLayerConfiguration conf =
                        base(seed, updater, weightDecay)
                                .list()
                                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(8).inputLength(len).build())
                                .layer(new SelfAttentionLayer.Builder().nIn(8).nOut(8).nHeads(2).headSize(4).projectInput(true).build())
                                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                                .setInputType(InputType.recurrent(1, len))
                                .overrideNinUponBuild(false)
                                .build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                INDArray tokens = Nd4j.zeros(DataType.FLOAT, mb, len);
                for (int i = 0; i < mb; i++) {
                    for (int j = 0; j < len; j++) {
                        tokens.putScalar(i, j, (i * 7 + j * 3) % vocab);
                    }
                }
                return new Fixture(net, new DataSet(tokens, oneHot(mb, 3)));
            }
            default -> throw new IllegalArgumentException(String.valueOf(arch));
        }
    }

    private static INDArray oneHot(int mb, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, mb, classes);
        for (int i = 0; i < mb; i++) {
            y.putScalar(i, i % classes, 1f);
        }
        return y;
    }
}
