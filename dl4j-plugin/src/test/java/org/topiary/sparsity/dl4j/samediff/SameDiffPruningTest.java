package org.topiary.sparsity.dl4j.samediff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.SelectionException;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.testkit.MaskAssertions;

/**
 * A 20-16-3 SameDiff MLP (tanh, softmax cross-entropy) on three Gaussian blobs in 20 dimensions
 * (240 examples, batches of 16: 15 steps per epoch), pruned from step 2 to 75% at step 20.
 */
class SameDiffPruningTest {
    private static final double FINAL = 0.75;
    private static final int BATCH = 16;

    private static PruningConfig.Builder gmp() {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, FINAL, 2, 20))
                .optWindow(new UpdateWindow(2, 20, 3));
    }

    private static SameDiff mlp(IUpdater updater) {
        return mlp(updater, 16);
    }

    private static SameDiff mlp(IUpdater updater, int hidden) {
        Nd4j.getRandom().setSeed(42);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 20);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 3);
        SDVariable w0 = sd.var("w0", Nd4j.randn(DataType.FLOAT, 20, hidden).muli(Math.sqrt(1.0 / 20)));
        SDVariable b0 = sd.var("b0", Nd4j.zeros(DataType.FLOAT, hidden));
        SDVariable w1 = sd.var("w1", Nd4j.randn(DataType.FLOAT, hidden, 3).muli(Math.sqrt(1.0 / hidden)));
        SDVariable b1 = sd.var("b1", Nd4j.zeros(DataType.FLOAT, 3));
        SDVariable h = sd.math.tanh(in.mmul(w0).add(b0));
        SDVariable logits = h.mmul(w1).add("logits", b1);
        sd.nn.softmax("out", logits, 1);
        sd.loss.softmaxCrossEntropy("loss", label, logits, null);
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(updater)
                .dataSetFeatureMapping("in")
                .dataSetLabelMapping("label")
                .build());
        return sd;
    }

    /** Three well separated blobs; the same examples for every call. */
    private static DataSet blobs() {
        Nd4j.getRandom().setSeed(7);
        INDArray centers = Nd4j.randn(DataType.FLOAT, 3, 20).muli(2.0);
        int n = 240;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 20).muli(0.7);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x.getRow(i).addi(centers.getRow(c));
            y.putScalar(i, c, 1.0);
        }
        return new DataSet(x, y);
    }

    private static DataSetIterator data() {
        return new ListDataSetIterator<>(blobs().asList(), BATCH);
    }

    private static double accuracy(SameDiff sd) {
        DataSet d = blobs();
        INDArray out = sd.outputSingle(Map.of("in", d.getFeatures()), "out");
        INDArray predicted = out.argMax(1);
        INDArray actual = d.getLabels().argMax(1);
        long correct = 0;
        for (int i = 0; i < actual.length(); i++) {
            correct += predicted.getLong(i) == actual.getLong(i) ? 1 : 0;
        }
        return (double) correct / actual.length();
    }

    private static double loss(SameDiff sd) {
        DataSet d = blobs();
        return sd.outputSingle(Map.of("in", d.getFeatures(), "label", d.getLabels()), "loss").getDouble(0);
    }

    /** Records, after every iteration, how the pruned weights, masks and updater state look. */
    private static final class Observer extends BaseListener {
        final SameDiff sd;
        final SameDiffPruning pruning;
        final List<String> violations = new ArrayList<>();
        final Map<String, INDArray> previous = new HashMap<>();
        int iterations;
        int updateSteps;
        int preUpdates;
        long regrown;
        final List<Integer> atIterations = new ArrayList<>();

        Observer(SameDiff sd, SameDiffPruning pruning) {
            this.sd = sd;
            this.pruning = pruning;
        }

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        /** Runs after the pruning listener's preUpdate: the update must be 0 where pruned. */
        @Override
        public void preUpdate(SameDiff graph, At at, Variable v, INDArray update) {
            INDArray mask = pruning.state().masks().get(v.getName());
            if (mask == null) {
                return;
            }
            float[] u = Arrays4j.toFloatC(update);
            boolean[] kept = Arrays4j.toBooleanC(mask, mask.length());
            for (int i = 0; i < kept.length; i++) {
                if (!kept[i] && u[i] != 0f) {
                    violations.add("step " + (at.iteration() + 1) + ": update of pruned " + v.getName() + "[" + i + "] = " + u[i]);
                }
            }
            preUpdates++;
        }

        private boolean zeroStateAt(String name, int index) {
            GradientUpdater<?> u = sd.getUpdaterMap().get(name);
            for (INDArray s : u.getState().values()) {
                if (Arrays4j.toFloatC(s)[index] != 0f) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void iterationDone(SameDiff graph, At at, MultiDataSet dataSet, Loss loss) {
            iterations++;
            atIterations.add(at.iteration());
            if (sd.getTrainingConfig().getIterationCount() != at.iteration()) {
                violations.add("iterationDone after SameDiff incremented its count: " + at.iteration());
            }
            long step = at.iteration() + 1L;
            boolean updated = pruning.config().window().isUpdateStep(step);
            updateSteps += updated ? 1 : 0;
            for (Map.Entry<String, INDArray> e : pruning.state().masks().entrySet()) {
                String name = e.getKey();
                INDArray mask = e.getValue();
                INDArray w = sd.getArrForVarName(name); // the user's graph, not the gradient function
                float[] values = Arrays4j.toFloatC(w);
                boolean[] kept = Arrays4j.toBooleanC(mask, mask.length());
                boolean[] keptBefore = previous.containsKey(name) ? Arrays4j.toBooleanC(previous.get(name), mask.length()) : null;
                previous.put(name, mask);
                for (int i = 0; i < kept.length; i++) {
                    if (!kept[i] && values[i] != 0f) {
                        violations.add("step " + step + ": pruned weight " + name + "[" + i + "] = " + values[i]);
                    }
                    if (keptBefore != null && !keptBefore[i] && kept[i]) {
                        regrown++;
                        if (!pruning.config().strategy().allowsRegrowth()) {
                            violations.add("step " + step + ": pruned entry " + name + "[" + i + "] came back");
                        } else if (values[i] != 0f || !zeroStateAt(name, i)) {
                            violations.add("step " + step + ": regrown entry " + name + "[" + i + "] does not start from 0");
                        }
                    }
                }
                if (updated) {
                    GradientUpdater<?> u = sd.getUpdaterMap().get(name);
                    for (Map.Entry<String, INDArray> s : u.getState().entrySet()) {
                        INDArray pruned = s.getValue().mul(mask.castTo(s.getValue().dataType()).rsub(1.0));
                        if (pruned.amaxNumber().doubleValue() != 0.0) {
                            violations.add("step " + step + ": updater state " + s.getKey() + " of " + name + " is not 0 where pruned");
                        }
                    }
                }
            }
        }
    }

    @Test
    void selectsEveryTrainableMatrixByDefaultAndNeverBiases() {
        SameDiffPruning p = SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().build());
        assertThat(p.selectedVariables()).containsExactlyInAnyOrder("w0", "w1");
        assertThat(p.sameDiff().getListeners()).contains(p);
    }

    @Test
    void selectsNamedVariablesAndHonoursExclude() {
        assertThat(SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optLayers("w1").build()).selectedVariables())
                .containsExactly("w1");
        assertThat(SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optExclude("w0").build()).selectedVariables())
                .containsExactly("w1");
    }

    @Test
    void layerWiseReachesTheFinalSparsityInEveryWeightExactlyAndLeavesBiasesAlone() {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        sd.fit(data(), 2);

        assertThat(p.step()).isEqualTo(30);
        SparsityReport r = p.report();
        assertThat(r.tensor("w0").zeros()).isEqualTo(Math.round(FINAL * 320));
        assertThat(r.tensor("w1").zeros()).isEqualTo(Math.round(FINAL * 48));
        assertThat(r.tensors()).extracting(t -> t.id()).containsExactlyInAnyOrder("w0", "w1");
        assertThat(MaskAssertions.zeros(sd.getArrForVarName("b0"))).isZero();
        assertThat(MaskAssertions.zeros(sd.getArrForVarName("b1"))).isZero();
        assertThat(p.history()).extracting(e -> e.step()).containsExactly(2L, 5L, 8L, 11L, 14L, 17L, 20L);
        assertThat(p.history().get(p.history().size() - 1).achieved()).isEqualTo((double) (240 + 36) / 368);
    }

    @Test
    void globalScopeReachesTheFinalSparsityOverAllWeightsExactly() {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().optScope(Scope.GLOBAL).build());
        sd.fit(data(), 2);

        SparsityReport r = p.report();
        assertThat(r.totalSize() - r.totalNonZeros()).isEqualTo(Math.round(FINAL * 368));
        assertThat(r.tensor("w0").zeros()).isNotEqualTo(Math.round(FINAL * 320)); // shared, not per tensor
    }

    @Test
    void overrideGivesAVariableItsOwnFinalSparsity() {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().optOverride("w1", 0.5).build());
        sd.fit(data(), 2);
        assertThat(p.report().tensor("w1").zeros()).isEqualTo(24);
        assertThat(p.report().tensor("w0").zeros()).isEqualTo(240);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "nesterovs"})
    void prunedWeightsAreExactlyZeroAfterEveryIterationAndMasksOnlyShrink(String updater) {
        SameDiff sd = mlp(updater.equals("adam") ? new Adam(0.01) : new Nesterovs(0.05, 0.9));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        Observer o = new Observer(sd, p);
        sd.addListeners(o);
        sd.fit(data(), 2);

        assertThat(o.iterations).isEqualTo(30);
        assertThat(o.atIterations).startsWith(0).endsWith(29); // step = at.iteration() + 1
        assertThat(sd.getTrainingConfig().getIterationCount()).isEqualTo(30);
        assertThat(o.updateSteps).isEqualTo(7);
        assertThat(o.preUpdates).isEqualTo(2 * (30 - 5)); // w0 and w1, from step 6 (step 2 prunes 0%)
        assertThat(o.violations).isEmpty();
        for (Map.Entry<String, INDArray> e : p.state().masks().entrySet()) {
            MaskAssertions.assertZeroWherePruned(sd.getArrForVarName(e.getKey()), e.getValue());
        }
    }

    @Test
    void regrownEntriesStartFromZeroWeightAndZeroUpdaterState() {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp()
                .optScorer(ImportanceScorer.random(3))
                .optStrategy(MaskStrategy.lowestScoresWithRegrowth())
                .build());
        Observer o = new Observer(sd, p);
        sd.addListeners(o);
        sd.fit(data(), 2);

        assertThat(o.regrown).isPositive();
        assertThat(o.violations).isEmpty();
        // the mask prunes exactly 75%; a random mask leaves some kept weights without gradient
        // (hidden units whose outgoing weights are all pruned), so they may stay at 0
        assertThat(MaskAssertions.pruned(p.state().masks().get("w0"))).isEqualTo(240);
        assertThat(p.report().tensor("w0").zeros()).isGreaterThanOrEqualTo(240);
    }

    @Test
    void prunedModelStillLearns() {
        SameDiff sd = mlp(new Adam(0.01));
        double accuracyBefore = accuracy(sd);
        double lossBefore = loss(sd);
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        sd.fit(data(), 4);

        assertThat(p.report().sparsity()).isEqualTo(FINAL);
        assertThat(loss(sd)).isLessThan(lossBefore / 2);
        assertThat(accuracy(sd)).isGreaterThan(0.9).isGreaterThan(accuracyBefore);
    }

    @Test
    void resumedRunContinuesTheScheduleAndMatchesAnUninterruptedRun(@TempDir Path dir) throws Exception {
        SameDiff straight = mlp(new Adam(0.01));
        SameDiffPruning sp = SameDiffPruning.attach(straight, gmp().build());
        straight.fit(data(), 2);

        SameDiff first = mlp(new Adam(0.01));
        SameDiffPruning fp = SameDiffPruning.attach(first, gmp().build());
        first.fit(data(), 1); // 15 steps: mid-schedule (ends at 20)
        assertThat(fp.report().sparsity()).isGreaterThan(0.0).isLessThan(FINAL);
        Path file = dir.resolve("mlp.sd");
        SameDiffPruningFiles.save(first, fp, file);
        assertThat(SameDiffPruningFiles.stateFileOf(file)).exists();

        SameDiff loaded = SameDiff.load(file.toFile(), true);
        SameDiffPruning resumed = SameDiffPruningFiles.resume(loaded, file);
        assertThat(resumed.step()).isEqualTo(15);
        assertThat(resumed.report().tensor("w0").zeros()).isEqualTo(fp.report().tensor("w0").zeros());
        loaded.fit(data(), 1);

        assertThat(resumed.history()).isEqualTo(sp.history());
        assertThat(resumed.report().tensor("w0").zeros()).isEqualTo(240);
        for (String name : List.of("w0", "b0", "w1", "b1")) {
            assertThat(loaded.getArrForVarName(name)).as(name).isEqualTo(straight.getArrForVarName(name));
        }
    }

    @Test
    void savedStateReadsBackWithItsIterationAndMasks(@TempDir Path dir) throws Exception {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        sd.fit(data(), 1);
        Path file = dir.resolve("m.sd");
        SameDiffPruningFiles.save(sd, p, file);

        SameDiffPruningFiles.Saved saved = SameDiffPruningFiles.read(file);
        assertThat(saved.iteration()).isEqualTo(15);
        PruningState s = saved.state();
        assertThat(s.config()).isEqualTo(p.config());
        assertThat(s.masks()).containsOnlyKeys("w0", "w1");
        assertThat(s.masks().get("w0")).isEqualTo(p.state().masks().get("w0"));
        assertThat(s.history()).isEqualTo(p.history());
    }

    @Test
    void readRefusesMissingAndDamagedStateFiles(@TempDir Path dir) throws Exception {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        sd.fit(data(), 1);
        Path file = dir.resolve("m.sd");
        assertThatThrownBy(() -> SameDiffPruningFiles.read(file))
                .isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining("SameDiffPruningFiles.save(sd, pruning, file)");
        SameDiffPruningFiles.save(sd, p, file);
        Path state = SameDiffPruningFiles.stateFileOf(file);
        byte[] bytes = java.nio.file.Files.readAllBytes(state);
        java.nio.file.Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> SameDiffPruningFiles.read(file))
                .isInstanceOf(org.topiary.sparsity.dl4j.persist.CorruptModelFileException.class)
                .hasMessageContaining("m.sd.pruning.zip");
    }

    @Test
    void resumeRefusesAStateSavedWithAnotherGraphFileAtTheSameIteration(@TempDir Path dir) throws Exception {
        // a rerun saves to the same path and is interrupted between the state and the graph file:
        // the state of run b sits next to the graph of run a, both at iteration 15
        SameDiff a = mlp(new Adam(0.01));
        SameDiffPruning pa = SameDiffPruning.attach(a, gmp().build());
        a.fit(data(), 1);
        Path file = dir.resolve("m.sd");
        SameDiffPruningFiles.save(a, pa, file);
        SameDiff b = mlp(new Adam(0.05));
        SameDiffPruning pb = SameDiffPruning.attach(b, gmp().build());
        b.fit(data(), 1);
        Path other = dir.resolve("other.sd");
        SameDiffPruningFiles.save(b, pb, other);
        assertThat(pb.state().masks().get("w0")).isNotEqualTo(pa.state().masks().get("w0"));
        java.nio.file.Files.copy(SameDiffPruningFiles.stateFileOf(other), SameDiffPruningFiles.stateFileOf(file),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        SameDiff loaded = SameDiff.load(file.toFile(), true);
        assertThatThrownBy(() -> SameDiffPruningFiles.resume(loaded, file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m.sd.pruning.zip was saved with another version of")
                .hasMessageContaining("from one SameDiffPruningFiles.save");
        // the pair as saved still resumes
        SameDiff loadedOther = SameDiff.load(other.toFile(), true);
        assertThat(SameDiffPruningFiles.resume(loadedOther, other).state().masks().get("w0")).isEqualTo(pb.state().masks().get("w0"));
    }

    @Test
    void resumeRefusesAGraphWhoseIterationCountWasReset(@TempDir Path dir) throws Exception {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        sd.fit(data(), 1);
        Path file = dir.resolve("m.sd");
        SameDiffPruningFiles.save(sd, p, file);

        SameDiff loaded = SameDiff.load(new File(file.toString()), true);
        loaded.getTrainingConfig().setIterationCount(0);
        assertThatThrownBy(() -> SameDiffPruningFiles.resume(loaded, file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("saved at iteration 15 but the SameDiff graph is at iteration 0");
        assertThatThrownBy(() -> SameDiffPruning.resume(loaded, p.state()))
                .hasMessageContaining("has completed 0 updates")
                .hasMessageContaining("SameDiff.load(file, true)");
    }

    @Test
    void resumeRefusesAStateSavedFromAnotherArchitecture() {
        SameDiff sd = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().build());
        sd.fit(data(), 1);
        SameDiff wider = mlp(new Adam(0.01), 24);
        wider.getTrainingConfig().setIterationCount(15);
        assertThatThrownBy(() -> SameDiffPruning.resume(wider, p.state()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the saved mask of 'w0' has shape [20, 16] but the variable has shape [20, 24]");
        assertThatThrownBy(() -> SameDiffPruning.resume(mlp(new Adam(0.01)), PruningState.restore(gmp().optLayers("w1").build(), p.state().masks(), List.of())))
                .hasMessageContaining("has a mask for 'w0', which is not a selected variable of this SameDiff graph; selected: [w1]");
    }

    @Test
    void unknownVariableIsAnErrorNamingTheFieldAndListingTheVariables() {
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optLayers("w9").build()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("variable 'w9' (in layers) is not a variable of this SameDiff graph")
                .hasMessageContaining("w0 [20, 16]")
                .hasMessageContaining("b0 [16]");
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optExclude("w9").build()))
                .hasMessageContaining("variable 'w9' (in exclude)");
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optOverride("b0", 0.5).build()))
                .hasMessageContaining("variable 'b0' (in overrides) is not a selected variable");
    }

    @Test
    void constantWeightsAreRefusedWithTheConvertToVariablesHint() {
        SameDiff sd = mlp(new Adam(0.01));
        sd.constant("frozen", Nd4j.ones(DataType.FLOAT, 4, 4));
        assertThatThrownBy(() -> SameDiffPruning.attach(sd, gmp().optLayers("frozen").build()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("variable 'frozen' (in layers) is a CONSTANT")
                .hasMessageContaining("sd.convertToVariables")
                .hasMessageContaining("CONSTANTs: [frozen [4, 4]");
        assertThatThrownBy(() -> SameDiffPruning.attach(sd, gmp().optLayers("in").build()))
                .hasMessageContaining("variable 'in' (in layers) is a PLACEHOLDER");
    }

    @Test
    void emptySelectionIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optExclude("w0", "w1").build()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("the selection leaves nothing to prune: layers is empty")
                .hasMessageContaining("exclude [w0, w1] removes all of them");
        SameDiff imported = SameDiff.create();
        SDVariable in = imported.placeHolder("in", DataType.FLOAT, -1, 4);
        in.mmul(imported.constant("w", Nd4j.ones(DataType.FLOAT, 4, 2)));
        assertThatThrownBy(() -> SameDiffPruning.attach(imported, gmp().build()))
                .hasMessageContaining("layers is empty, so every trainable VARIABLE of rank >= 2 is selected, but this graph has none")
                .hasMessageContaining("sd.convertToVariables");
    }

    @Test
    void layerTypesParamKeysAndNonElementPatternsAreRefused() {
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optLayerTypes("DenseLayer").build()))
                .hasMessageContaining("layerTypes [DenseLayer] has no meaning for a SameDiff graph");
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)), gmp().optParamKeys("W").build()))
                .hasMessageContaining("paramKeys [W] has no meaning for a SameDiff graph");
        assertThatThrownBy(() -> SameDiffPruning.attach(mlp(new Adam(0.01)),
                        gmp().optPattern(org.topiary.sparsity.structure.SparsityPattern.blocks(1, 4)).build()))
                .hasMessageContaining("is not supported for SameDiff graphs yet");
    }

    @Test
    void convertedConstantsArePrunedLikeVariables() {
        SameDiff sd = mlp(new Adam(0.01));
        SDVariable w0 = sd.getVariable("w0");
        sd.convertToConstants(List.of(w0));
        assertThatThrownBy(() -> SameDiffPruning.attach(sd, gmp().optLayers("w0").build())).hasMessageContaining("CONSTANT");
        sd.convertToVariables(List.of(sd.getVariable("w0")));
        SameDiffPruning p = SameDiffPruning.attach(sd, gmp().optLayers("w0").build());
        sd.fit(data(), 2);
        assertThat(p.report().tensor("w0").zeros()).isEqualTo(240);
    }

    @Test
    void oneInstanceServesOneGraph() {
        SameDiff a = mlp(new Adam(0.01));
        SameDiffPruning p = SameDiffPruning.attach(a, gmp().build());
        SameDiff b = mlp(new Adam(0.01));
        b.addListeners(p);
        assertThatThrownBy(() -> b.fit(data(), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("attached to another SameDiff graph");
    }
}
