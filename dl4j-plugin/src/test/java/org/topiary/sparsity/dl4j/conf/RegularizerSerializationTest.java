package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * The regularizers inside DL4J configurations: JSON and YAML round trips compare equal, models
 * save and restore with {@code ModelSerializer}, and a golden JSON written by this version (see
 * {@link #main}) still reads back into the same configuration, which pins the class names and
 * property names.
 */
class RegularizerSerializationTest {
    static final String GOLDEN = "/org/topiary/sparsity/dl4j/conf/regularizers-mln-v1.json";

    static Stream<Regularization> all() {
        return Stream.of(
                ScheduledL1.of(1e-4),
                ScheduledL1.of(PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, 1e-4, 0, 100, 400, 469)),
                ProximalL1.of(0.05),
                ProximalL1.of(new ExponentialSchedule(ScheduleType.EPOCH, 0.1, 0.9)),
                GroupLasso.outputNeurons(1e-3, 784, 300),
                GroupLasso.of(PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 1e-3, 1, 3), ParamGroups.inputs(10, 4)),
                ProximalGroupLasso.filters(0.02, 16, 3, 5, 5),
                ProximalGroupLasso.of(0.02, ParamGroups.of(new long[] {4, 6, 2}, 'c', 2)));
    }

    /** A configuration that holds every regularizer and schedule type (also the golden file's source). */
    static MultiLayerConfiguration conf() {
        return new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(6).activation(Activation.RELU)
                        .regularization(List.of(
                                ScheduledL1.of(PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, 1e-4, 0, 0, 469, 469)),
                                new WeightDecay(1e-4, true),
                                ProximalL1.of(0.05)))
                        .regularizationBias(List.of(ScheduledL1.of(1e-5)))
                        .build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.RELU)
                        .regularization(List.of(GroupLasso.outputNeurons(1e-3, 6, 4),
                                ProximalGroupLasso.of(PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 0.02, 1, 3),
                                        ParamGroups.outputNeurons(6, 4))))
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    @ParameterizedTest
    @MethodSource("all")
    void cloneIsEqualButNotTheSameAndHashCodesAgree(Regularization r) {
        Regularization c = r.clone();
        assertThat(c).isEqualTo(r).hasSameHashCodeAs(r).isNotSameAs(r);
        assertThat(c.applyStep()).isEqualTo(r.applyStep());
    }

    @ParameterizedTest
    @MethodSource("all")
    void javaSerializationRoundTrips(Regularization r) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(r);
        }
    }

    @Test
    void differentCoefficientsOrLayoutsAreNotEqual() {
        assertThat(ProximalL1.of(0.05)).isNotEqualTo(ProximalL1.of(0.06)).isNotEqualTo(ScheduledL1.of(0.05));
        assertThat(GroupLasso.outputNeurons(1e-3, 6, 4)).isNotEqualTo(GroupLasso.outputNeurons(1e-3, 4, 6))
                .isNotEqualTo(ProximalGroupLasso.outputNeurons(1e-3, 6, 4))
                .isNotEqualTo(GroupLasso.of(1e-3, ParamGroups.inputs(6, 4)));
    }

    @Test
    void multiLayerConfigurationJsonAndYamlRoundTripsAreEqual() {
        MultiLayerConfiguration conf = conf();
        String json = conf.toJson();
        assertThat(json).contains("\"@class\" : \"org.topiary.sparsity.dl4j.conf.ProximalGroupLasso\"")
                .contains("\"@class\" : \"org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule\"");
        assertThat(MultiLayerConfiguration.fromJson(json)).isEqualTo(conf);
        assertThat(MultiLayerConfiguration.fromYaml(conf.toYaml())).isEqualTo(conf);
        BaseLayer restored = (BaseLayer) MultiLayerConfiguration.fromJson(json).getConf(1).getLayer();
        assertThat(restored.getRegularization()).containsExactly(GroupLasso.outputNeurons(1e-3, 6, 4),
                ProximalGroupLasso.of(PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 0.02, 1, 3),
                        ParamGroups.outputNeurons(6, 4)));
    }

    @Test
    void computationGraphConfigurationJsonRoundTripIsEqual() {
        ComputationGraphConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(1e-3))
                        .regularization(List.of(ProximalL1.of(0.01)))
                        .graphBuilder()
                        .addInputs("in")
                        .addLayer("hidden", new DenseLayer.Builder().nIn(8).nOut(6)
                                .regularization(List.of(ProximalGroupLasso.outputNeurons(0.02, 8, 6))).build(), "in")
                        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                                .activation(Activation.SOFTMAX).build(), "hidden")
                        .setOutputs("out")
                        .build();
        assertThat(ComputationGraphConfiguration.fromJson(conf.toJson())).isEqualTo(conf);
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        cg.fit(RegNets.data(DataType.FLOAT, 3, 8, 8));
        assertThat(cg.score()).isFinite();
    }

    @Test
    void modelSerializerSavesAndRestoresTheConfigurationAndTrainingCarriesOnIdentically(@TempDir Path dir)
            throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(conf());
        net.init();
        DataSet ds = RegNets.data(DataType.FLOAT, 7, 8, 8);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        Path file = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params()).isEqualTo(net.params());
        net.fit(ds);
        restored.fit(ds);
        assertThat(restored.params().equalsWithEps(net.params(), 1e-6)).isTrue();
        assertThat(restored.score(ds)).isCloseTo(net.score(ds), org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void goldenJsonOfVersion1ReadsBackIntoTheSameConfiguration() throws IOException {
        try (InputStream in = RegularizerSerializationTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("golden file " + GOLDEN).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(MultiLayerConfiguration.fromJson(json)).isEqualTo(conf());
        }
    }

    /** Writes the golden file: {@code main(path-to-src/test/resources)}; run once per format version. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]).resolve(GOLDEN.substring(1));
        Files.createDirectories(out.getParent());
        Files.writeString(out, conf().toJson(), StandardCharsets.UTF_8);
    }
}
