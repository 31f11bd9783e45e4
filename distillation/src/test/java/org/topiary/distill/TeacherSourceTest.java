package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

class TeacherSourceTest {
    private static final DataSet DATA = Fixtures.blobs(96, 1);

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** Logits up to a per-example shift: compare their softmaxes. */
    private static double softmaxDiff(INDArray a, INDArray b) {
        return maxAbsDiff(Transforms.softmax(a, true), Transforms.softmax(b, true));
    }

    @Test
    void onlineSoftmaxTeacherGivesLogProbabilitiesWhoseSoftmaxIsItsOutput() {
        MultiLayerNetwork t = Fixtures.mlp(8, 3);
        INDArray x = DATA.getFeatures();
        TeacherSource s = TeacherSource.online(t);
        assertThat(s.numClasses()).isEqualTo(Fixtures.CLASSES);
        INDArray z = s.logits(x);
        assertThat(z.shape()).containsExactly(96, Fixtures.CLASSES);
        assertThat(maxAbsDiff(Transforms.exp(z, true), t.output(x, false))).isLessThan(1e-6);
    }

    @Test
    void onlineIdentityTeacherGivesItsOutputUnchanged() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(Fixtures.DIMS).nOut(3).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork t = new MultiLayerNetwork(conf);
        t.init();
        assertThat(TeacherSource.online(t).logits(DATA.getFeatures())).isEqualTo(t.output(DATA.getFeatures(), false));
    }

    @Test
    void rejectsATeacherWhoseOutputIsNeitherSoftmaxNorIdentity() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunction.XENT).nIn(4).nOut(3).activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork t = new MultiLayerNetwork(conf);
        t.init();
        assertThatThrownBy(() -> TeacherSource.online(t))
                .hasMessageContaining("the teacher's output layer 'layer0' (OutputLayer) has activation sigmoid")
                .hasMessageContaining("SOFTMAX");
    }

    @Test
    void loadsMultiLayerNetworkAndGraphTeachersFromModelFiles(@TempDir Path dir) throws Exception {
        MultiLayerNetwork mln = Fixtures.mlp(8, 4);
        ComputationGraph cg = Fixtures.graph(8, 5);
        File a = dir.resolve("mln.zip").toFile();
        File b = dir.resolve("cg.zip").toFile();
        ModelSerializer.writeModel(mln, a, false);
        ModelSerializer.writeModel(cg, b, false);
        INDArray x = DATA.getFeatures();
        assertThat(maxAbsDiff(TeacherSource.online(a.toPath()).logits(x), TeacherSource.online(mln).logits(x))).isZero();
        assertThat(maxAbsDiff(TeacherSource.online(b.toPath()).logits(x), TeacherSource.online(cg).logits(x))).isZero();
        assertThatThrownBy(() -> TeacherSource.online(dir.resolve("missing.zip")))
                .hasMessageContaining("missing.zip not found");
        Path junk = Files.writeString(dir.resolve("junk.zip"), "not a zip");
        assertThatThrownBy(() -> TeacherSource.online(junk)).hasMessageContaining("is not a zip file");
    }

    @Test
    void averagedTeacherIsTheMeanOfItsTeachersLogits() {
        MultiLayerNetwork a = Fixtures.mlp(8, 6);
        ComputationGraph b = Fixtures.graph(8, 7);
        INDArray x = DATA.getFeatures();
        INDArray expected = TeacherSource.online(a).logits(x).add(TeacherSource.online(b).logits(x)).divi(2);
        TeacherSource avg = TeacherSource.averaged(TeacherSource.online(a), TeacherSource.online(b));
        assertThat(avg.numClasses()).isEqualTo(Fixtures.CLASSES);
        assertThat(maxAbsDiff(avg.logits(x), expected)).isLessThan(1e-6);
    }

    @Test
    void averagedTeachersMustAgreeOnTheNumberOfClasses() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(Fixtures.DIMS).nOut(7).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork seven = new MultiLayerNetwork(conf);
        seven.init();
        assertThatThrownBy(() -> TeacherSource.averaged(TeacherSource.online(Fixtures.mlp(8, 1)), TeacherSource.online(seven)))
                .hasMessageContaining("give [batch, 4], teacher 1")
                .hasMessageContaining("gives [batch, 7]");
        assertThatThrownBy(TeacherSource::averaged).hasMessageContaining("at least one teacher");
    }

    @Test
    void cacheInMemoryServesTheOnlineLogitsInAnyOrderAndBatchSize() {
        MultiLayerNetwork t = Fixtures.mlp(8, 8);
        TeacherSource online = TeacherSource.online(t);
        TeacherSource cached = TeacherSource.cached(online, Fixtures.iterator(DATA, 40));
        assertThat(cached.numClasses()).isEqualTo(Fixtures.CLASSES);
        INDArray shuffled = DATA.getFeatures().getRows(95, 3, 50, 0, 17);
        assertThat(maxAbsDiff(cached.logits(shuffled), online.logits(shuffled))).isLessThan(1e-5);
        assertThat(maxAbsDiff(cached.logits(DATA.getFeatures()), online.logits(DATA.getFeatures()))).isLessThan(1e-5);
    }

    @Test
    void cacheRejectsFeaturesItWasNotBuiltOn() {
        TeacherSource cached = TeacherSource.cached(TeacherSource.online(Fixtures.mlp(8, 9)), Fixtures.iterator(DATA, 32));
        INDArray other = DATA.getFeatures().getRows(0, 1).add(0.5);
        assertThatThrownBy(() -> cached.logits(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example 0 of this batch (features [2, 10]) is not in the cached teacher (96 distinct of 96 examples, memory)")
                .hasMessageContaining("TeacherSource.online(teacher)");
    }

    @Test
    void cacheInAFileEqualsTheOnlineLogitsAndReopens(@TempDir Path dir) {
        TeacherSource online = TeacherSource.online(Fixtures.mlp(8, 10));
        Path file = dir.resolve("sub/teacher.logits");
        INDArray x = DATA.getFeatures();
        try (TeacherSource cached = TeacherSource.cached(online, Fixtures.iterator(DATA, 25), CacheOptions.inFile(file))) {
            assertThat(maxAbsDiff(cached.logits(x), online.logits(x))).isLessThan(1e-5);
        }
        assertThat(file).exists().hasSize(32 + 96 * (8 + 4 * Fixtures.CLASSES));
        try (TeacherSource reopened = TeacherSource.openCache(file)) {
            assertThat(reopened.numClasses()).isEqualTo(Fixtures.CLASSES);
            assertThat(maxAbsDiff(reopened.logits(x.getRows(7, 8)), online.logits(x.getRows(7, 8)))).isLessThan(1e-5);
        }
    }

    @Test
    void openCacheRejectsDamagedAndForeignFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.logits");
        TeacherSource.cached(TeacherSource.online(Fixtures.mlp(8, 11)), Fixtures.iterator(DATA, 32), CacheOptions.inFile(file)).close();
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = Files.write(dir.resolve("short.logits"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> TeacherSource.openCache(truncated)).hasMessageContaining("is truncated or damaged");
        Path foreign = Files.write(dir.resolve("foreign.logits"), new byte[64]);
        assertThatThrownBy(() -> TeacherSource.openCache(foreign)).hasMessageContaining("is not a Topiary teacher cache");
    }

    @Test
    void topKKeepsTheLargestLogitsAndSpreadsTheTailMassEvenly() {
        // 6 classes, k = 2: logits [3, 1, 0, -1, 2, -2] keep classes 0 (3) and 4 (2).
        INDArray z = Nd4j.createFromArray(new float[][] {{3, 1, 0, -1, 2, -2}});
        TeacherSource fixed = new TeacherSource() {
            @Override
            public INDArray logits(INDArray features) {
                return z.dup();
            }

            @Override
            public long numClasses() {
                return 6;
            }
        };
        DataSet one = new DataSet(Nd4j.ones(DataType.FLOAT, 1, 3), Nd4j.ones(DataType.FLOAT, 1, 6));
        TeacherSource top2 = TeacherSource.cached(fixed, Fixtures.iterator(one, 1), CacheOptions.inMemory().withTopK(2));
        INDArray got = top2.logits(one.getFeatures());
        double tail = Math.exp(1) + Math.exp(0) + Math.exp(-1) + Math.exp(-2);
        double rest = Math.log(tail / 4);
        assertThat(got.getDouble(0, 0)).isEqualTo(3.0);
        assertThat(got.getDouble(0, 4)).isEqualTo(2.0);
        for (int c : new int[] {1, 2, 3, 5}) {
            assertThat(got.getDouble(0, c)).isCloseTo(rest, within(1e-6));
        }
        INDArray p = Transforms.softmax(z.castTo(DataType.DOUBLE), true);
        INDArray q = Transforms.softmax(got.castTo(DataType.DOUBLE), true);
        assertThat(q.getDouble(0, 0)).isCloseTo(p.getDouble(0, 0), within(1e-6));
        assertThat(q.getDouble(0, 4)).isCloseTo(p.getDouble(0, 4), within(1e-6));
        assertThatThrownBy(() -> TeacherSource.cached(fixed, Fixtures.iterator(one, 1), CacheOptions.inMemory().withTopK(6)))
                .hasMessageContaining("topK must be < the number of classes (6), found 6");
        assertThatThrownBy(() -> CacheOptions.inMemory().withTopK(0)).hasMessage("topK must be > 0, found 0");
    }

    @Test
    void topKFileCacheIsSmallerAndReopensWithTheSameRule(@TempDir Path dir) {
        TeacherSource online = TeacherSource.online(Fixtures.mlp(8, 12));
        Path file = dir.resolve("top.logits");
        INDArray x = DATA.getFeatures();
        INDArray inMemory;
        try (TeacherSource mem = TeacherSource.cached(online, Fixtures.iterator(DATA, 32), CacheOptions.inMemory().withTopK(2))) {
            inMemory = mem.logits(x);
        }
        TeacherSource.cached(online, Fixtures.iterator(DATA, 32), CacheOptions.inFile(file).withTopK(2)).close();
        assertThat(file).hasSize(32 + 96 * (8 + 8 * 2 + 4));
        try (TeacherSource reopened = TeacherSource.openCache(file)) {
            assertThat(reopened.logits(x)).isEqualTo(inMemory);
        }
        INDArray exact = online.logits(x);
        INDArray top1 = Nd4j.argMax(exact, 1);
        assertThat(Nd4j.argMax(inMemory, 1)).isEqualTo(top1);
    }
}
