package org.topiary.distill.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.topiary.distill.conf.KdLossTest.kdLabels;
import static org.topiary.distill.conf.KdLossTest.mlnConf;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * DL4J {@link GradientCheckUtil} on networks whose output layer uses {@link KdLoss}: double
 * precision (the global default data type is switched for this class and restored after), NoOp
 * updater, no dropout.
 */
class KdLossGradientCheckTest {
    private static DataType previous;
    private static DataType previousFloating;

    @BeforeAll
    static void doublePrecision() {
        previous = Nd4j.dataType();
        previousFloating = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previous, previousFloating);
    }

    @Test
    void passesGradientCheckInMultiLayerNetwork() {
        for (double[] ta : new double[][] {{1.0, 0.5}, {4.0, 0.1}, {2.0, 0.0}, {3.0, 1.0}}) {
            MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(KdLoss.of(ta[0], ta[1]), DataType.DOUBLE));
            net.init();
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 6);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                    .net(net).input(x).labels(kdLabels(8, 3, 6))
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertThat(ok).as("gradient check at T=%s alpha=%s", ta[0], ta[1]).isTrue();
        }
    }

    @Test
    void passesGradientCheckWithPerExampleLabelMask() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(KdLoss.of(3.0, 0.4), DataType.DOUBLE));
        net.init();
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 6);
        INDArray mask = Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0, 0.0, 1.0).reshape(6, 1);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(x).labels(kdLabels(6, 3, 9)).labelMask(mask)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(ok).isTrue();
    }

    @Test
    void passesGradientCheckInComputationGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(13)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.SIGMOID).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nIn(6).nOut(4).activation(Activation.IDENTITY)
                        .lossFunction(KdLoss.of(2.0, 0.3).withLayerName("out")).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        Nd4j.getRandom().setSeed(10);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(cg).inputs(new INDArray[] {Nd4j.randn(DataType.DOUBLE, 7, 4)}).labels(new INDArray[] {kdLabels(7, 4, 11)})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(ok).isTrue();
    }

    @Test
    void passesGradientCheckThroughANonIdentityOutputActivation() {
        // The loss treats the activation's output as logits and backpropagates through it.
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(21)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(4).nOut(3).activation(Activation.TANH)
                        .lossFunction(KdLoss.of(2.0, 0.4)).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(22);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(Nd4j.randn(DataType.DOUBLE, 6, 5)).labels(kdLabels(6, 3, 23))
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(ok).isTrue();
    }
}
