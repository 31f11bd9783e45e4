package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.persist.internal.ConfigCleaner;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

class StripTest {
    @TempDir Path tmp;

    private Path prunedCheckpoint() throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 5);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Scenario.trainTo(m, 5, 25, 0);
        Path file = tmp.resolve("pruned.zip");
        PrunedModels.save(m, p.state(), file);
        return file;
    }

    private static List<String> entries(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return Collections.list(z.entries()).stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void strippedFile_hasOnlyDl4jEntriesAndNoTopiaryClasses() throws IOException {
        Path in = prunedCheckpoint();
        assertThat(entries(in)).contains("configuration.json", "coefficients.bin", "updaterState.bin", "topiary/pruning.json", "topiary/masks.bin");
        Path out = tmp.resolve("final.zip");
        PrunedModels.strip(in, out);
        assertThat(entries(out)).containsExactlyInAnyOrder("configuration.json", "coefficients.bin");
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        assertThat(ConfigCleaner.topiaryClasses(plain.getLayerWiseConfigurations().toJson())).isEmpty();
        assertThat(PrunedModels.readState(out)).isEmpty();
    }

    @Test
    void strip_bakesMasksAsPositiveZerosAndKeepsEveryOtherWeight() throws IOException {
        Path in = prunedCheckpoint();
        RestoredModel r = PrunedModels.restore(in);
        int[] before = Scenario.bits(r.model());
        assertThat(before).as("the masked model has negative zeros").contains(0x80000000);
        Path out = tmp.resolve("final.zip");
        PrunedModels.strip(in, out);
        int[] after = Scenario.bits(ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false));
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isEqualTo(before[i] == 0x80000000 ? 0 : before[i]);
        }
        r.state().orElseThrow().masks().forEach((id, mask) ->
                assertThat(r.model().getParam(id).mul(mask.castTo(DataType.FLOAT).rsub(1)).sumNumber().doubleValue()).isZero());
    }

    @Test
    void strippedModel_loadsInAJvmWithoutTopiaryClasses() throws Exception {
        Path in = prunedCheckpoint();
        Path out = tmp.resolve("final.zip");
        PrunedModels.strip(in, out);
        Path program = Path.of(getClass().getResource("/vanilla/VanillaLoad.java").toURI());

        ChildJvm.Result res = ChildJvm.run(120, "-Xmx512m", "-cp", ChildJvm.classpathWithoutTopiary(), program.toString(), out.toString());

        MultiLayerNetwork here = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        float[] p = here.params().dup().data().asFloat();
        long zeros = 0;
        long hash = 17;
        for (float v : p) {
            zeros += v == 0f ? 1 : 0;
            hash = hash * 31 + Float.floatToRawIntBits(v);
        }
        List<String> expectedOut = new ArrayList<>();
        for (float v : here.output(input()).dup().data().asFloat()) {
            expectedOut.add(String.valueOf(Float.floatToRawIntBits(v)));
        }
        assertThat(res.exitCode()).as("child output: %s", res.lines()).isZero();
        assertThat(res.lines()).contains("topiary-absent", "params " + p.length + " zeros " + zeros + " hash " + hash,
                "output " + String.join(" ", expectedOut));
        assertThat(zeros).isGreaterThan(p.length / 2);
    }

    @Test
    void configCleaner_dropsTopiaryRegularizersAndWeightNoiseButRefusesTopiaryLayers() {
        String json = "{\"confs\":[{\"layer\":{\"@class\":\"org.deeplearning4j.nn.conf.layers.DenseLayer\","
                + "\"regularization\":[{\"@class\":\"org.topiary.sparsity.dl4j.conf.ProxL1\",\"lambda\":0.1},"
                + "{\"@class\":\"org.nd4j.linalg.learning.regularization.L2Regularization\"}],"
                + "\"weightNoise\":{\"@class\":\"org.topiary.sparsity.dl4j.conf.MaskNoise\"}}}]}";
        String cleaned = ConfigCleaner.removeTopiaryClasses(json);
        assertThat(ConfigCleaner.topiaryClasses(cleaned)).isEmpty();
        assertThat(cleaned).contains("L2Regularization").contains("\"weightNoise\" : null");

        String layer = "{\"confs\":[{\"layer\":{\"@class\":\"org.topiary.sparsity.dl4j.conf.MaskedDense\"}}]}";
        assertThatThrownBy(() -> ConfigCleaner.removeTopiaryClasses(layer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.confs[0].layer uses the Topiary class org.topiary.sparsity.dl4j.conf.MaskedDense")
                .hasMessageContaining("rebuild the model with a DL4J equivalent");
    }

    /** A fixed 2x10 input: values -1 + 0.1 * i. */
    static org.nd4j.linalg.api.ndarray.INDArray input() {
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = -1f + 0.1f * i;
        }
        return Nd4j.create(x, new long[] {2, 10}, 'c');
    }
}
