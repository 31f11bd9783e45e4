package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.StructuredPruningTest;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.SparsityPattern;

/** Structured and N:M pruning states and pattern metadata survive save, restore, resume and export. */
class StructuredPersistenceTest {
    @TempDir Path tmp;

    private static PruningConfig gradual(SparsityPattern p, double s) {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, s, 2, 10))
                .optWindow(new UpdateWindow(2, 10, 2))
                .optPattern(p)
                .build();
    }

    private static void fit(TestNets.Fixture f, int iterations) {
        for (int i = 0; i < iterations; i++) {
            f.fitOnce();
        }
    }

    private static long nonZeroWherePruned(INDArray w, INDArray mask) {
        INDArray kept = mask.castTo(w.dataType());
        return w.mul(kept.rsub(1)).neq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
    }

    @Test
    void groupStateWithBiasMasksRestoresAndResumes() throws IOException {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 4);
        PruningListener p = PruningListener.attach(f.model(), gradual(SparsityPattern.groups(GroupScorer.taylor()), 0.5));
        fit(f, 6);
        Path file = tmp.resolve("groups.zip");
        PrunedModels.save(f.model(), p.state(), file);

        RestoredModel r = PrunedModels.restore(file);
        assertThat(r.state().orElseThrow().config()).isEqualTo(p.config());
        assertThat(r.state().orElseThrow().masks()).containsOnlyKeys("0_W", "0_b", "1_W", "1_b");
        PruningListener resumed = r.resumePruning();
        Model m = r.model();
        TestNets.Fixture again = new TestNets.Fixture(m, f.batch());
        fit(again, 6);
        assertThat(resumed.groupCounts().get("0")).containsExactly(8, 16);
        for (String id : resumed.state().masks().keySet()) {
            assertThat(nonZeroWherePruned(m.getParam(id), resumed.state().mask(id))).as(id).isZero();
        }
    }

    @Test
    void nOfMPatternTravelsInTheZipTheInspectionAndTheSparseExport() throws IOException {
        TestNets.Fixture f = StructuredPruningTest.nmDense(2);
        PruningListener p = PruningListener.attach(f.model(), gradual(SparsityPattern.nOfM(2, 4), 0.5));
        fit(f, 12);
        Path zip = tmp.resolve("nm.zip");
        PrunedModels.save(f.model(), p.state(), zip);

        Inspection zipInspection = ModelInspector.inspect(zip);
        assertThat(zipInspection.patterns()).extracting(TensorPattern::id).containsExactly("0_W", "1_W", "2_W");
        assertThat(zipInspection.patterns()).allMatch(TensorPattern::exact);
        assertThat(zipInspection.toText()).contains("pattern: n-of-m 2:4 on 0_W as [16 outputs, 8 inputs] (inputs-by-outputs), exact");

        Path tsm = tmp.resolve("nm.tsm");
        SparseModelFormat.export(zip, tsm);
        List<TensorPattern> patterns = SparseModelFormat.readPatterns(tsm);
        assertThat(patterns).isEqualTo(zipInspection.patterns());
        Inspection tsmInspection = ModelInspector.inspect(tsm);
        assertThat(tsmInspection.format()).isEqualTo("topiary-sparse-v2");
        JsonNode json = new ObjectMapper().readTree(tsmInspection.toJson());
        assertThat(json.get("patterns").get(1).get("pattern").get("type").asText()).isEqualTo("n-of-m");
        assertThat(json.get("patterns").get(1).get("inputs").asLong()).isEqualTo(16);
        Model back = SparseModelFormat.read(tsm);
        assertThat(back.params()).isEqualTo(f.model().params());
    }

    @Test
    void aModelWithoutPatternsIsStillExportedAsVersion1() throws IOException {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 4);
        PruningListener p = PruningListener.attach(f.model(), PruningConfig.gradual(0.5, 2, 10, 2));
        fit(f, 4);
        Path tsm = tmp.resolve("plain.tsm");
        SparseModelFormat.write(f.model(), p.state(), tsm);
        assertThat(SparseModelFormat.readPatterns(tsm)).isEmpty();
        assertThat(ModelInspector.inspect(tsm).format()).isEqualTo("topiary-sparse-v1");
        assertThat(java.nio.file.Files.readAllBytes(tsm)[9]).isEqualTo((byte) 1);
    }
}
