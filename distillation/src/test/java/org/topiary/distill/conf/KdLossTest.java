package org.topiary.distill.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

class KdLossTest {
    private static final double LN2 = Math.log(2);
    private static final double LN3 = Math.log(3);
    /** KL([3/4, 1/4] || [1/2, 1/2]) = 3/4 ln(3/2) + 1/4 ln(1/2), by hand. */
    private static final double KL_34_HALF = 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5);

    private static INDArray row(double... v) {
        return Nd4j.createFromArray(v).reshape(1, v.length);
    }

    @Test
    void scoreMatchesHandComputationAtTemperatureOne() {
        // z_s = [0, 0] -> p = [1/2, 1/2]; y = [1, 0] -> CE = ln 2; z_t = [ln 3, 0] -> q_t = [3/4, 1/4].
        INDArray labels = row(1, 0, LN3, 0);
        INDArray z = row(0, 0);
        double score = KdLoss.of(1.0, 0.25).computeScore(labels, z, new ActivationIdentity(), null, false);
        assertThat(score).isCloseTo(0.25 * LN2 + 0.75 * 1 * KL_34_HALF, within(1e-12));
    }

    @Test
    void scoreAppliesTemperatureToBothSoftmaxesAndScalesKlByTSquared() {
        // T = 2: z_t / T = [ln 3, 0] -> q_t = [3/4, 1/4]; z_s / T = [0, 0] -> q_s = [1/2, 1/2].
        INDArray labels = row(1, 0, 2 * LN3, 0);
        double score = KdLoss.of(2.0, 0.25).computeScore(labels, row(0, 0), new ActivationIdentity(), null, false);
        assertThat(score).isCloseTo(0.25 * LN2 + 0.75 * 4 * KL_34_HALF, within(1e-12));
    }

    @Test
    void gradientMatchesHandComputation() {
        // dL/dz = α (p − y) + (1 − α) T (q_s − q_t) = 0.25 [-1/2, 1/2] + 0.75 * 2 * [-1/4, 1/4]
        INDArray labels = row(1, 0, 2 * LN3, 0);
        INDArray g = KdLoss.of(2.0, 0.25).computeGradient(labels, row(0, 0), new ActivationIdentity(), null);
        double expected = 0.25 * 0.5 + 0.75 * 2 * 0.25;
        assertThat(g.getDouble(0, 0)).isCloseTo(-expected, within(1e-12));
        assertThat(g.getDouble(0, 1)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void scoreIsTheSumOverExamplesUnlessAveragedAndScoreArrayIsPerExample() {
        INDArray labels = Nd4j.vstack(row(1, 0, LN3, 0), row(0, 1, 0, 0));
        INDArray z = Nd4j.vstack(row(0, 0), row(0, 0));
        KdLoss loss = KdLoss.of(1.0, 0.25);
        double first = 0.25 * LN2 + 0.75 * KL_34_HALF;
        double second = 0.25 * LN2; // teacher uniform = student: KL = 0
        INDArray perExample = loss.computeScoreArray(labels, z, new ActivationIdentity(), null);
        assertThat(perExample.shape()).containsExactly(2, 1);
        assertThat(perExample.getDouble(0, 0)).isCloseTo(first, within(1e-12));
        assertThat(perExample.getDouble(1, 0)).isCloseTo(second, within(1e-12));
        assertThat(loss.computeScore(labels, z, new ActivationIdentity(), null, false)).isCloseTo(first + second, within(1e-12));
        assertThat(loss.computeScore(labels, z, new ActivationIdentity(), null, true)).isCloseTo((first + second) / 2, within(1e-12));
        assertThat(loss.computeGradientAndScore(labels, z, new ActivationIdentity(), null, false).getFirst())
                .isCloseTo(first + second, within(1e-12));
    }

    @Test
    void perExampleMaskZeroesScoreAndGradientOfMaskedExamples() {
        INDArray labels = Nd4j.vstack(row(1, 0, LN3, 0), row(0, 1, 0, 0));
        INDArray z = Nd4j.vstack(row(0.3, -0.2), row(0.1, 0.4));
        INDArray mask = Nd4j.createFromArray(1.0, 0.0).reshape(2, 1);
        KdLoss loss = KdLoss.of(3.0, 0.5);
        INDArray masked = loss.computeScoreArray(labels, z, new ActivationIdentity(), mask);
        INDArray full = loss.computeScoreArray(labels, z, new ActivationIdentity(), null);
        assertThat(masked.getDouble(0, 0)).isEqualTo(full.getDouble(0, 0));
        assertThat(masked.getDouble(1, 0)).isZero();
        INDArray g = loss.computeGradient(labels, z, new ActivationIdentity(), mask);
        assertThat(g.getRow(1).sumNumber().doubleValue()).isZero();
        assertThat(g.getRow(0).norm2Number().doubleValue()).isPositive();
    }

    @Test
    void alphaOneEqualsDl4jSoftmaxCrossEntropy() {
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 5, 4);
        INDArray hard = Nd4j.eye(4).castTo(DataType.DOUBLE).getRows(0, 1, 2, 3, 0);
        INDArray labels = Nd4j.hstack(hard, Nd4j.randn(DataType.DOUBLE, 5, 4));
        KdLoss kd = KdLoss.of(5.0, 1.0);
        LossMCXENT ce = new LossMCXENT();
        assertThat(kd.computeScore(labels, z, new ActivationIdentity(), null, false))
                .isCloseTo(ce.computeScore(hard, z, new ActivationSoftmax(), null, false), within(1e-9));
        INDArray gKd = kd.computeGradient(labels, z, new ActivationIdentity(), null);
        INDArray gCe = ce.computeGradient(hard, z, new ActivationSoftmax(), null);
        assertThat(gKd.sub(gCe).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    @Test
    void teacherLogitsShiftedPerExampleGiveTheSameLoss() {
        Nd4j.getRandom().setSeed(4);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 3, 5);
        INDArray hard = Nd4j.eye(5).castTo(DataType.DOUBLE).getRows(1, 2, 3);
        INDArray teacher = Nd4j.randn(DataType.DOUBLE, 3, 5);
        INDArray shifted = teacher.addColumnVector(Nd4j.createFromArray(-7.0, 0.5, 12.0).reshape(3, 1));
        KdLoss kd = KdLoss.of(2.5, 0.3);
        assertThat(kd.computeScore(Nd4j.hstack(hard, shifted), z, new ActivationIdentity(), null, false))
                .isCloseTo(kd.computeScore(Nd4j.hstack(hard, teacher), z, new ActivationIdentity(), null, false), within(1e-9));
    }

    @Test
    void studentEqualToTeacherHasZeroSoftLossAndZeroSoftGradient() {
        INDArray z = row(1.5, -0.5, 0.25);
        INDArray labels = Nd4j.hstack(row(0, 1, 0), z);
        KdLoss softOnly = KdLoss.of(4.0, 0.0);
        assertThat(softOnly.computeScore(labels, z, new ActivationIdentity(), null, false)).isCloseTo(0.0, within(1e-12));
        assertThat(softOnly.computeGradient(labels, z, new ActivationIdentity(), null).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void extremeLogitsGiveFiniteExactScores() {
        // z_s = [1000, 0], y = [0, 1]: CE = 1000 + log(1 + e^-1000) = 1000 (no overflow); teacher = student.
        INDArray labels = row(0, 1, 1000, 0);
        double score = KdLoss.of(1.0, 0.5).computeScore(labels, row(1000, 0), new ActivationIdentity(), null, false);
        assertThat(score).isCloseTo(500.0, within(1e-9));
        INDArray floats = Nd4j.createFromArray(new float[][] {{0, 1, 80, -80}});
        double f = KdLoss.of(1.0, 1.0).computeScore(floats, Nd4j.createFromArray(new float[][] {{80, -80}}), new ActivationIdentity(), null, false);
        assertThat(f).isCloseTo(160.0, within(1e-3));
    }

    @Test
    void rejectsInvalidTemperatureAndAlphaNamingTheField() {
        assertThatThrownBy(() -> KdLoss.of(0.0, 0.5)).hasMessage("temperature must be > 0 and finite, found 0");
        assertThatThrownBy(() -> KdLoss.of(-2.0, 0.5)).hasMessage("temperature must be > 0 and finite, found -2");
        assertThatThrownBy(() -> KdLoss.of(Double.NaN, 0.5)).hasMessageStartingWith("temperature must be > 0");
        assertThatThrownBy(() -> KdLoss.of(2.0, 1.5)).hasMessage("alpha must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> KdLoss.of(2.0, -0.1)).hasMessage("alpha must be in [0, 1], found -0.1");
    }

    @Test
    void labelWidthMismatchNamesLayerAndBothShapes() {
        INDArray z = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 4, 5);
        assertThatThrownBy(() -> KdLoss.of(2, 0.5).withLayerName("out").computeScore(labels, z, new ActivationIdentity(), null, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Layer 'out' (KdLoss): labels have shape [4, 5] but the output has shape [4, 3]")
                .hasMessageContaining("[4, 6]");
        assertThatThrownBy(() -> KdLoss.of(2, 0.5).computeGradient(labels, z, new ActivationIdentity(), null))
                .hasMessageStartingWith("KdLoss: labels have shape [4, 5] but the output has shape [4, 3]");
    }

    @Test
    void rejectsSoftmaxActivationAndPerOutputMasks() {
        INDArray z = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 6);
        assertThatThrownBy(() -> KdLoss.of(2, 0.5).withLayerName("head").computeScore(labels, z, new ActivationSoftmax(), null, false))
                .hasMessageContaining("Layer 'head' (KdLoss): uses KdLoss with the softmax activation")
                .hasMessageContaining("Activation.IDENTITY");
        assertThatThrownBy(() -> KdLoss.of(2, 0.5).computeScore(labels, z, new ActivationIdentity(), Nd4j.ones(DataType.DOUBLE, 2, 3), false))
                .hasMessageContaining("per-example masks only");
    }

    static MultiLayerConfiguration mlnConf(KdLoss loss, DataType dtype) {
        return new NeuralNetConfiguration.Builder()
                .seed(12)
                .dataType(dtype)
                .updater(dtype == DataType.DOUBLE ? new NoOp() : new Adam(0.01))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(5).nOut(3).activation(Activation.IDENTITY).lossFunction(loss).build())
                .build();
    }

    static INDArray kdLabels(int mb, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray hard = Nd4j.zeros(DataType.DOUBLE, mb, classes);
        for (int i = 0; i < mb; i++) {
            hard.putScalar(i, (i * 7 + 1) % classes, 1.0);
        }
        return Nd4j.hstack(hard, Nd4j.randn(DataType.DOUBLE, mb, classes).muli(3));
    }

    @Test
    void networkScoreIsTheBatchMeanOfThePerExampleLoss() {
        KdLoss loss = KdLoss.of(2.0, 0.3);
        MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(loss, DataType.DOUBLE));
        net.init();
        Nd4j.getRandom().setSeed(14);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 10, 6);
        INDArray labels = kdLabels(10, 3, 15);
        INDArray logits = net.output(x, false);
        double mean = loss.computeScoreArray(labels, logits, new ActivationIdentity(), null).meanNumber().doubleValue();
        assertThat(net.score(new DataSet(x, labels), false)).isCloseTo(mean, within(1e-9));
    }

    @Test
    void roundTripsThroughDl4jJsonAndModelSerializer(@TempDir Path dir) throws Exception {
        KdLoss loss = KdLoss.of(4.0, 0.25).withLayerName("1");
        MultiLayerConfiguration conf = mlnConf(loss, DataType.FLOAT);
        String json = conf.toJson();
        assertThat(json).contains("\"@class\" : \"org.topiary.distill.conf.KdLoss\"").contains("\"temperature\" : 4.0");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertThat(back).isEqualTo(conf);
        assertThat(((OutputLayer) back.getConf(1).getLayer()).getLossFn()).isEqualTo(loss);

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        File file = dir.resolve("kd.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file);
        assertThat(restored.params()).isEqualTo(net.params());
        assertThat(((OutputLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn()).isEqualTo(loss);
    }

    @Test
    void trainsAMultiLayerNetworkTowardsTheTeacher() {
        MultiLayerNetwork net = new MultiLayerNetwork(mlnConf(KdLoss.of(2.0, 0.5), DataType.FLOAT));
        net.init();
        Nd4j.getRandom().setSeed(16);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, 6);
        DataSet ds = new DataSet(x, kdLabels(32, 3, 17).castTo(DataType.FLOAT));
        double before = net.score(ds, false);
        for (int i = 0; i < 50; i++) {
            net.fit(ds);
        }
        assertThat(net.score(ds, false)).isLessThan(before * 0.8);
    }

    @Test
    void equalityCoversEveryField() {
        assertThat(KdLoss.of(2, 0.5)).isEqualTo(KdLoss.of(2, 0.5)).hasSameHashCodeAs(KdLoss.of(2, 0.5));
        assertThat(KdLoss.of(2, 0.5)).isNotEqualTo(KdLoss.of(3, 0.5)).isNotEqualTo(KdLoss.of(2, 0.4))
                .isNotEqualTo(KdLoss.of(2, 0.5).withLayerName("x"));
        assertThat(KdLoss.of(2, 0.5).withLayerName("x").toString()).isEqualTo("KdLoss(T=2.0, alpha=0.5, layer=x)");
    }
}
