package org.topiary.distill;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small synthetic data and networks for the distillation tests. */
final class Fixtures {
    static final int DIMS = 10;
    static final int CLASSES = 4;
    /** Every data set shares the class centres; {@code seed} only draws the noise. */
    private static final long CENTRE_SEED = 20;

    private Fixtures() {}

    /**
     * {@code n} examples of {@code CLASSES} Gaussian blobs in {@code DIMS} dimensions (centres at
     * distance ~6, unit noise): separable enough to learn in a few epochs, noisy enough that a
     * teacher's soft targets carry information. Different seeds give different examples of the
     * same classes.
     */
    static DataSet blobs(int n, long seed) {
        Nd4j.getRandom().setSeed(CENTRE_SEED);
        INDArray centres = Nd4j.randn(DataType.FLOAT, CLASSES, DIMS).muli(2.0);
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, DIMS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            x.getRow(i).addi(centres.getRow(c));
            y.putScalar(i, c, 1f);
        }
        return new DataSet(x, y);
    }

    static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.asList(), batch);
    }

    static MultiLayerNetwork mlp(int hidden, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(DIMS).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static ComputationGraph graph(int hidden, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(DIMS).nOut(hidden).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(CLASSES).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        return cg;
    }

    /** A 10-32-4 teacher trained for 20 epochs on {@code data}. */
    static MultiLayerNetwork trainedTeacher(DataSet data) {
        MultiLayerNetwork t = mlp(32, 99);
        t.fit(iterator(data, 32), 20);
        return t;
    }
}
