package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

class InspectionTest {
    @TempDir Path tmp;

    private Path saved(Model[] out, PruningListener[] p) throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 9);
        p[0] = PruningListener.attach(m, Scenario.config());
        Scenario.trainTo(m, 9, 22, 0);
        out[0] = m;
        Path f = tmp.resolve("m.zip");
        PrunedModels.save(m, p[0].state(), f);
        return f;
    }

    @Test
    void prunedZip_tableListsEveryParamWithItsSparsityAndThePruningState() throws IOException {
        Model[] m = new Model[1];
        PruningListener[] p = new PruningListener[1];
        Path f = saved(m, p);
        Inspection i = ModelInspector.inspect(f);
        assertThat(i.format()).isEqualTo("dl4j-zip+topiary-pruning");
        assertThat(i.fileBytes()).isEqualTo(Files.size(f));
        assertThat(i.iteration()).isEqualTo(22);
        assertThat(i.rows()).extracting(r -> r.sparsity().id()).containsExactly("0_W", "0_b", "1_W", "1_b", "2_W", "2_b");
        Inspection.Row w0 = i.rows().get(0);
        assertThat(w0.type()).isEqualTo("DenseLayer");
        assertThat(w0.sparsity().shape()).containsExactly(10L, 16L);
        assertThat(w0.sparsity().sparsity()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(0.01));
        assertThat(w0.denseBytes()).isEqualTo(640);
        assertThat(w0.maskKept()).isEqualTo(w0.sparsity().nonZeros());
        assertThat(i.state().orElseThrow().history()).isEqualTo(p[0].history());

        String text = i.toText();
        assertThat(text).contains("model: MultiLayerNetwork, " + m[0].numParams() + " params, iteration 22")
                .contains("0_W", "[10, 16]", "0.7000", "total")
                .contains("pruning state: PruningConfig{", "masks on 3 tensors [0_W, 1_W, 2_W], 7 mask updates, last at step 21 (target 0.7000");
    }

    @Test
    void json_hasTypeVersionLayersSparsityAndPruning() throws IOException {
        Model[] m = new Model[1];
        Path f = saved(m, new PruningListener[1]);
        JsonNode j = new ObjectMapper().readTree(ModelInspector.inspect(f).toJson());
        assertThat(j.get("type").asText()).isEqualTo("topiary-inspection");
        assertThat(j.get("version").asInt()).isEqualTo(1);
        assertThat(j.get("layers")).hasSize(6);
        assertThat(j.get("layers").get(0).get("id").asText()).isEqualTo("0_W");
        assertThat(j.get("sparsity").get("total_size").asLong()).isEqualTo(m[0].numParams());
        assertThat(j.get("pruning").get("config").get("type").asText()).isEqualTo("topiary-pruning");
        assertThat(j.get("pruning").get("history")).hasSize(7);
    }

    @Test
    void sparseFileAndPlainZip_areInspectedWithoutPruningState() throws IOException {
        Model[] m = new Model[1];
        Path f = saved(m, new PruningListener[1]);
        Path s = tmp.resolve("m.tsm");
        SparseModelFormat.export(f, s);
        Inspection i = ModelInspector.inspect(s);
        assertThat(i.format()).isEqualTo("topiary-sparse-v1");
        assertThat(i.state()).isEmpty();
        assertThat(i.report().totalNonZeros()).isEqualTo(ModelInspector.inspect(f).report().totalNonZeros());
        assertThat(i.toText()).contains("pruning state: none");
        assertThat(new ObjectMapper().readTree(i.toJson()).get("pruning").isNull()).isTrue();

        Path plain = tmp.resolve("plain.zip");
        PrunedModels.strip(f, plain);
        assertThat(ModelInspector.inspect(plain).format()).isEqualTo("dl4j-zip");
    }
}
