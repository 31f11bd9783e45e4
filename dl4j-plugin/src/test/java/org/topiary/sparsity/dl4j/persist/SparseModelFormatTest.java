package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.topiary.sparsity.structure.SparsityPattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

class SparseModelFormatTest {
    @TempDir Path tmp;

    /** A fixture pruned one-shot to 80% (masking leaves -0.0 for negative pruned weights). */
    static TestNets.Fixture pruned(Arch arch) {
        TestNets.Fixture f = TestNets.build(arch, new Sgd(0.05), false, 11);
        PruningListener.attach(f.model(), PruningConfig.oneShot(0.8, 1));
        f.fitOnce();
        f.fitOnce();
        return f;
    }

    static int[] canonicalBits(Model m) {
        int[] b = Scenario.bits(m);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0x80000000) {
                b[i] = 0;
            }
        }
        return b;
    }

    static INDArray output(Model m, INDArray x) {
        return m instanceof MultiLayerNetwork n ? n.output(x) : ((ComputationGraph) m).outputSingle(x);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void exportThenImport_givesBitIdenticalParamsAndOutputs(Arch arch) throws IOException {
        TestNets.Fixture f = pruned(arch);
        Path file = tmp.resolve("m.tsm");
        long written = SparseModelFormat.write(f.model(), file);
        assertThat(Files.size(file)).isEqualTo(written);

        Model back = SparseModelFormat.read(file);
        assertThat(back.getClass()).isEqualTo(f.model().getClass());
        assertThat(back.params()).isEqualTo(f.model().params());
        assertThat(canonicalBits(back)).isEqualTo(canonicalBits(f.model()));
        assertThat(output(back, f.batch().getFeatures())).isEqualTo(output(f.model(), f.batch().getFeatures()));
    }

    @Test
    void negativeZerosComeBackAsPositiveZerosAndEverythingElseBitForBit() throws IOException {
        TestNets.Fixture f = pruned(Arch.MLN_DENSE);
        int[] before = Scenario.bits(f.model());
        assertThat(before).as("masking by multiplication leaves -0.0").contains(0x80000000);
        Model back = SparseModelFormat.decode(null, SparseModelFormat.encode(f.model()));
        int[] after = Scenario.bits(back);
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isEqualTo(before[i] == 0x80000000 ? 0 : before[i]);
        }
    }

    @Test
    void doubleParamsRoundTripExactly() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.getParam("0_W").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4), org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(0.0);
        Model back = SparseModelFormat.decode(null, SparseModelFormat.encode(net));
        assertThat(back.params().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(back.params().data().asDouble()).isEqualTo(net.params().data().asDouble());
    }

    @Test
    void sparseTensorsUseTheBitmaskAndDenseOnesStayDense() throws IOException {
        TestNets.Fixture f = pruned(Arch.MLN_DENSE);
        Inspection i = ModelInspector.inspect(f.model(), null);
        Inspection.Row w = i.rows().stream().filter(r -> r.sparsity().id().equals("0_W")).findFirst().orElseThrow();
        Inspection.Row b = i.rows().stream().filter(r -> r.sparsity().id().equals("0_b")).findFirst().orElseThrow();
        assertThat(w.sparseBytes()).isLessThan(w.denseBytes() / 2);
        assertThat(b.sparseBytes()).isEqualTo(b.denseBytes());
        long dense = SparseModelFormat.denseZipBytes(f.model());
        assertThat((long) SparseModelFormat.encode(f.model()).length).isLessThan(dense);
    }

    // ------------------------------------------------------------ golden file

    /** The model stored in {@code sparse-model-v1.tsm}: fixed weights, no randomness. */
    static MultiLayerNetwork goldenModel() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        float[] w0 = {0.5f, 0f, 0f, 0f, -1.25f, 0f, 0f, 0f, 0f, 0f, 0f, 2f};
        net.getParam("0_W").assign(Nd4j.create(w0, new long[] {4, 3}, 'c'));
        net.getParam("0_b").assign(Nd4j.create(new float[] {0.1f, -0.2f, 0.3f}, new long[] {3}, 'c'));
        net.getParam("1_W").assign(Nd4j.create(new float[] {1f, -1f, 0.25f, 0.75f, -0.5f, 3f}, new long[] {3, 2}, 'c'));
        net.getParam("1_b").assign(Nd4j.create(new float[] {0f, 0f}, new long[] {2}, 'c'));
        return net;
    }

    /** Regenerates the golden file; run by hand only when a new format version is introduced. */
    static void generateGolden(Path resourceDir) throws IOException {
        Files.write(resourceDir.resolve("sparse-model-v1.tsm"), SparseModelFormat.encode(goldenModel()));
    }

    /** The model stored in {@code sparse-model-v2-nofm.tsm}: {@code 0_W [4, 3]} is exactly 2:4 per output. */
    static MultiLayerNetwork goldenNOfMModel() {
        MultiLayerNetwork net = goldenModel();
        float[] w0 = {0.5f, 0f, 1f, 0f, -1.25f, 0f, 0.75f, 0f, 0f, 0f, 2f, -0.5f};
        net.getParam("0_W").assign(Nd4j.create(w0, new long[] {4, 3}, 'c'));
        return net;
    }

    /** The pattern metadata of {@code sparse-model-v2-nofm.tsm}. */
    static List<TensorPattern> goldenPatterns() {
        return List.of(new TensorPattern("0_W", SparsityPattern.nOfM(2, 4), 3, 4, false, true));
    }

    /** Regenerates the version 2 golden file; run by hand only when a new format version is introduced. */
    static void generateGoldenV2(Path resourceDir) throws IOException {
        Files.write(resourceDir.resolve("sparse-model-v2-nofm.tsm"), SparseModelFormat.encode(goldenNOfMModel(), goldenPatterns()));
    }

    @Test
    void goldenVersion2FileStillReadsWithItsPatterns() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("sparse-model-v2-nofm.tsm")) {
            bytes = in.readAllBytes();
        }
        assertThat(bytes[9]).isEqualTo((byte) 2);
        Model m = SparseModelFormat.decode(Path.of("sparse-model-v2-nofm.tsm"), bytes);
        assertThat(Scenario.bits(m)).isEqualTo(Scenario.bits(goldenNOfMModel()));
        Path f = tmp.resolve("v2.tsm");
        Files.write(f, bytes);
        assertThat(SparseModelFormat.readPatterns(f)).isEqualTo(goldenPatterns());
    }

    @Test
    void goldenVersion1FileStillReads() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("sparse-model-v1.tsm")) {
            bytes = in.readAllBytes();
        }
        Model m = SparseModelFormat.decode(Path.of("sparse-model-v1.tsm"), bytes);
        MultiLayerNetwork expected = goldenModel();
        assertThat(Scenario.bits(m)).isEqualTo(Scenario.bits(expected));
        assertThat(((MultiLayerNetwork) m).getLayerWiseConfigurations()).isEqualTo(expected.getLayerWiseConfigurations());
    }

    @Test
    void goldenFileStartsWithTheDocumentedHeader() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("sparse-model-v1.tsm")) {
            bytes = in.readAllBytes();
        }
        assertThat(java.util.Arrays.copyOf(bytes, 8)).isEqualTo(new byte[] {(byte) 0x89, 'T', 'S', 'M', '\r', '\n', 0x1A, '\n'});
        assertThat(bytes[8]).isEqualTo((byte) 0);
        assertThat(bytes[9]).isEqualTo((byte) 1);
        assertThat(bytes[11]).isEqualTo((byte) 1);
        assertThat(java.nio.ByteBuffer.wrap(bytes, 12, 8).getLong()).isEqualTo(bytes.length - 24L);
    }
}
