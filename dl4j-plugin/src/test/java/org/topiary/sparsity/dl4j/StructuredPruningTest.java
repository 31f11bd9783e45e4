package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.dl4j.internal.ParamHandle;
import org.topiary.sparsity.dl4j.internal.UpdaterStateMasker;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.MatrixView;
import org.topiary.sparsity.structure.NOfMMasks;
import org.topiary.sparsity.structure.SparsityPattern;

/** Structured (groups) and semi-structured (N:M, blocks) pruning through the PruningListener. */
public class StructuredPruningTest {
    private static final int ITERATIONS = 14;

    private static PruningConfig gradual(SparsityPattern pattern, double finalSparsity) {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, finalSparsity, 2, 10))
                .optWindow(new UpdateWindow(2, 10, 2))
                .optPattern(pattern)
                .build();
    }

    /** Fails the test if any masked entry (weights and biases) is non-zero after an iteration. */
    private static final class ZeroChecker extends BaseTrainingListener {
        final PruningListener pruning;
        final List<String> failures = new ArrayList<>();

        ZeroChecker(PruningListener pruning) {
            this.pruning = pruning;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            for (Map.Entry<String, INDArray> e : pruning.state().masks().entrySet()) {
                if (PruningListenerInvariantsTest.nonZeroWherePruned(model.getParam(e.getKey()), e.getValue()) > 0) {
                    failures.add(e.getKey() + " not zero where pruned after iteration " + iteration);
                }
            }
        }
    }

    private static void train(TestNets.Fixture f, PruningListener pruning) {
        ZeroChecker checker = new ZeroChecker(pruning);
        f.model().addListeners(checker);
        for (int i = 0; i < ITERATIONS; i++) {
            f.fitOnce();
        }
        assertThat(checker.failures).isEmpty();
    }

    private static long zeroColumns(INDArray w) {
        long n = 0;
        for (int j = 0; j < w.columns(); j++) {
            if (w.getColumn(j).amaxNumber().doubleValue() == 0) {
                n++;
            }
        }
        return n;
    }

    private static ParamHandle handle(ModelAdapter adapter, String id) {
        for (ModelAdapter.LayerInfo l : adapter.layers()) {
            for (var e : adapter.paramTable(l).entrySet()) {
                if (adapter.paramId(l, e.getKey()).equals(id)) {
                    return new ParamHandle(id, l.name(), l.index(), l.type(), e.getKey(), l.layer(), e.getValue());
                }
            }
        }
        throw new IllegalArgumentException(id);
    }

    @Test
    void groupPruningOfADenseNetZeroesWholeColumnsAndTheirBiasUnderAdam() {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 7);
        PruningListener pruning = PruningListener.attach(f.model(), gradual(SparsityPattern.groups(GroupScorer.l1()), 0.5));
        train(f, pruning);

        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        assertThat(zeroColumns(net.getParam("0_W"))).isEqualTo(8);
        assertThat(zeroColumns(net.getParam("1_W"))).isEqualTo(6);
        for (int layer = 0; layer < 2; layer++) {
            INDArray w = net.getParam(layer + "_W");
            INDArray b = net.getParam(layer + "_b");
            for (int j = 0; j < w.columns(); j++) {
                boolean removed = w.getColumn(j).amaxNumber().doubleValue() == 0;
                assertThat(b.getDouble(j) == 0).as("bias of removed unit %d of layer %d", j, layer).isEqualTo(removed);
            }
        }
        assertThat(pruning.state().masks()).containsOnlyKeys("0_W", "0_b", "1_W", "1_b");
        assertThat(pruning.selectedParamIds()).containsExactly("0_W", "1_W");
        assertThat(pruning.groupCounts().get("0")).containsExactly(8, 16);
        assertThat(pruning.groupCounts().get("1")).containsExactly(6, 12);
        // the output of a removed ReLU unit is act(0) = 0 for every input
        INDArray act = net.feedForward(f.batch().getFeatures()).get(1);
        for (int j = 0; j < 16; j++) {
            if (net.getParam("0_b").getDouble(j) == 0 && net.getParam("0_W").getColumn(j).amaxNumber().doubleValue() == 0) {
                assertThat(act.getColumn(j).amaxNumber().doubleValue()).isZero();
            }
        }
        // Adam's state is zero at every masked position, biases included
        ModelAdapter adapter = ModelAdapter.of(net);
        for (Map.Entry<String, INDArray> e : pruning.state().masks().entrySet()) {
            ParamHandle h = handle(adapter, e.getKey());
            INDArray flat = UpdaterStateMasker.flatMask(e.getValue(), h.view().ordering());
            for (INDArray s : UpdaterStateMasker.slices(adapter.updater(), h)) {
                assertThat(PruningListenerInvariantsTest.maxAbsWherePruned(s, flat)).as("Adam state of %s", e.getKey()).isZero();
            }
        }
    }

    static List<PruningListenerInvariantsTest.Opt> updaters() {
        return PruningListenerInvariantsTest.updaters();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void removedUnitsAndTheirBiasesStayExactlyZeroUnderEveryUpdater(PruningListenerInvariantsTest.Opt opt) {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, opt.updater(), opt.weightDecay(), 13);
        PruningListener pruning = PruningListener.attach(f.model(), gradual(SparsityPattern.groups(GroupScorer.l1()), 0.5));
        train(f, pruning);
        ModelAdapter adapter = ModelAdapter.of(f.model());
        assertThat(pruning.state().masks()).containsKeys("0_b", "1_b");
        for (Map.Entry<String, INDArray> e : pruning.state().masks().entrySet()) {
            assertThat(PruningListenerInvariantsTest.nonZeroWherePruned(f.model().getParam(e.getKey()), e.getValue())).isZero();
            ParamHandle h = handle(adapter, e.getKey());
            INDArray flat = UpdaterStateMasker.flatMask(e.getValue(), h.view().ordering());
            for (INDArray s : UpdaterStateMasker.slices(adapter.updater(), h)) {
                // AdaMax adds 1e-32 to its state each step (see PruningListenerInvariantsTest)
                assertThat(PruningListenerInvariantsTest.maxAbsWherePruned(s, flat)).as("%s state of %s", opt, e.getKey()).isLessThanOrEqualTo(1e-30);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Arch.class, names = {"CG_MERGE", "CNN_BATCHNORM", "LSTM", "EMBEDDING_SELF_ATTENTION"})
    void everyGroupLayoutRemovesTheExactCountOfUnitsAndKeepsThemZero(Arch arch) {
        TestNets.Fixture f = TestNets.build(arch, new Adam(0.01), false, 11);
        PruningConfig config = gradual(SparsityPattern.groups(GroupScorer.l2()), 0.5);
        if (arch == Arch.EMBEDDING_SELF_ATTENTION) {
            config = config.toBuilder().optLayerTypes("SelfAttentionLayer").build();
        }
        PruningListener pruning = PruningListener.attach(f.model(), config);
        train(f, pruning);
        assertThat(pruning.groupCounts()).isNotEmpty();
        for (Map.Entry<String, long[]> e : pruning.groupCounts().entrySet()) {
            long total = e.getValue()[1];
            long removed = MaskStrategy.countFor(0.5, total);
            assertThat(e.getValue()[0]).as("kept units of %s", e.getKey()).isEqualTo(total - removed);
        }
        for (String id : pruning.state().masks().keySet()) {
            INDArray w = f.model().getParam(id);
            assertThat(PruningListenerInvariantsTest.nonZeroWherePruned(w, pruning.state().mask(id))).isZero();
        }
    }

    @Test
    void lstmUnitsLoseTheirFourGateColumnsInWAndRWAndTheirBias() {
        TestNets.Fixture f = TestNets.build(Arch.LSTM, new Adam(0.01), false, 3);
        PruningListener pruning = PruningListener.attach(f.model(), gradual(SparsityPattern.groups(GroupScorer.l1()), 0.5));
        train(f, pruning);
        INDArray w = f.model().getParam("0_W");
        INDArray rw = f.model().getParam("0_RW");
        INDArray b = f.model().getParam("0_b");
        int removed = 0;
        for (int j = 0; j < 6; j++) {
            boolean gone = w.getColumn(j).amaxNumber().doubleValue() == 0;
            if (gone) {
                removed++;
            }
            for (int gate = 0; gate < 4; gate++) {
                int col = gate * 6 + j;
                assertThat(w.getColumn(col).amaxNumber().doubleValue() == 0).isEqualTo(gone);
                assertThat(rw.getColumn(col).amaxNumber().doubleValue() == 0).isEqualTo(gone);
                assertThat(b.getDouble(col) == 0).isEqualTo(gone);
            }
        }
        assertThat(removed).isEqualTo(3);
    }

    @Test
    void taylorAccumulationMatchesTheHandComputedAbsWeightTimesGradient() {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 5);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        MultiLayerNetwork copy = net.clone();
        copy.setInput(f.batch().getFeatures());
        copy.setLabels(f.batch().getLabels());
        copy.computeGradientAndScore();
        INDArray expected0 = Transforms.abs(copy.getParam("0_W").mul(copy.gradient().getGradientFor("0_W")), true);
        INDArray expected1 = Transforms.abs(copy.getParam("1_W").mul(copy.gradient().getGradientFor("1_W")), true);

        PruningConfig config = PruningConfig.builder()
                .setSchedule(SparsitySchedule.oneShot(0.5, 5))
                .optWindow(UpdateWindow.once(5))
                .optPattern(SparsityPattern.groups(GroupScorer.taylor()))
                .build();
        PruningListener pruning = PruningListener.attach(net, config);
        f.fitOnce();
        assertThat(pruning.taylorAccumulator().steps()).isEqualTo(1);
        assertThat(pruning.taylorAccumulator().get("0_W").equalsWithEps(expected0, 1e-6)).isTrue();
        assertThat(pruning.taylorAccumulator().get("1_W").equalsWithEps(expected1, 1e-6)).isTrue();
        assertThat(pruning.taylorAccumulator().get("2_W")).isNull();
        for (int i = 0; i < 4; i++) {
            f.fitOnce();
        }
        assertThat(pruning.groupCounts().get("0")).containsExactly(8, 16);
        assertThat(pruning.taylorAccumulator().steps()).isZero();
    }

    @Test
    void noTaylorAccumulatorWithoutATaylorScorer() {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 5);
        PruningListener pruning = PruningListener.attach(f.model(), gradual(SparsityPattern.groups(GroupScorer.l1()), 0.5));
        f.fitOnce();
        assertThat(pruning.taylorAccumulator()).isNull();
    }

    @Test
    void groupsOnALayerWithoutUnitsNameItAndListTheSupportedTypes() {
        TestNets.Fixture f = TestNets.build(Arch.EMBEDDING_SELF_ATTENTION, new Adam(0.01), false, 5);
        assertThatThrownBy(() -> PruningListener.attach(f.model(), gradual(SparsityPattern.groups(GroupScorer.l1()), 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 0 'layer0' (EmbeddingSequenceLayer)")
                .hasMessageContaining("SelfAttentionLayer")
                .hasMessageContaining("LSTM");
    }

    /** A dense net whose input dimensions (8, 16, 12) are multiples of 4. */
    public static TestNets.Fixture nmDense(long seed) {
        Nd4j.getRandom().setSeed(seed);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        return new TestNets.Fixture(net, new DataSet(Nd4j.randn(DataType.FLOAT, 8, 8), y));
    }

    @Test
    void twoOfFourGradualEndsWithExactlyTwoInEveryRunOfEveryDenseWeight() {
        TestNets.Fixture f = nmDense(1);
        SparsityPattern.NOfM p = new SparsityPattern.NOfM(2, 4);
        PruningListener pruning = PruningListener.attach(f.model(), gradual(p, 0.5));
        train(f, pruning);
        for (String id : List.of("0_W", "1_W", "2_W")) {
            INDArray w = f.model().getParam(id);
            MatrixView v = MatrixView.inputsByOutputs(id, w.shape());
            assertThat(NOfMMasks.isNOfM(v, p, pruning.state().mask(id))).as(id).isTrue();
            INDArray nonZero = Transforms.abs(w, true).gt(0);
            assertThat(NOfMMasks.isNOfM(v, p, nonZero)).as("non-zeros of %s", id).isTrue();
        }
        SparsityEvent last = pruning.history().get(pruning.history().size() - 1);
        assertThat(last.achieved()).isEqualTo(0.5);
        // intermediate updates follow the schedule in whole runs
        for (SparsityEvent e : pruning.history()) {
            assertThat(Math.abs(e.achieved() - e.target())).as("step %d", e.step()).isLessThan(0.02);
        }
    }

    private static MultiLayerNetwork smallConv() {
        Nd4j.getRandom().setSeed(3);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.01))
                .list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 4, 4))
                .build());
        net.init();
        return net;
    }

    @Test
    void fourOfEightAndBlocksWorkOnConvolutionWeights() {
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 4, 4, 4, 4), y);
        MultiLayerNetwork net = smallConv();
        SparsityPattern.NOfM p = new SparsityPattern.NOfM(4, 8);
        PruningListener pruning = PruningListener.attach(net, gradual(p, 0.5).toBuilder().optLayers("0").build());
        for (int i = 0; i < ITERATIONS; i++) {
            net.fit(batch);
        }
        INDArray w = net.getParam("0_W");
        assertThat(NOfMMasks.isNOfM(MatrixView.outputsByInputs("0_W", w.shape()), p, pruning.state().mask("0_W"))).isTrue();
        assertThat(PruningListenerInvariantsTest.nonZeroWherePruned(w, pruning.state().mask("0_W"))).isZero();

        MultiLayerNetwork fresh = smallConv();
        PruningListener blocks = PruningListener.attach(fresh, gradual(SparsityPattern.blocks(4, 4), 0.5).toBuilder().optLayers("0").build());
        for (int i = 0; i < ITERATIONS; i++) {
            fresh.fit(batch);
        }
        // W [8, 4, 2, 2] as [8 outputs, 16 inputs]: 2 x 4 = 8 blocks of 16, half removed
        assertThat(blocks.report().totalSize() - blocks.report().totalNonZeros()).isEqualTo(64);
        INDArray bw = fresh.getParam("0_W").reshape(8, 16);
        for (int bo = 0; bo < 2; bo++) {
            for (int bi = 0; bi < 4; bi++) {
                long nz = 0;
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        nz += bw.getDouble(bo * 4 + r, bi * 4 + c) != 0 ? 1 : 0;
                    }
                }
                assertThat(nz).isIn(0L, 16L);
            }
        }
    }

    @Test
    void nOfMOnAnInputDimensionThatIsNotAMultipleOfMNamesTheTensor() {
        TestNets.Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 5);
        assertThatThrownBy(() -> PruningListener.attach(f.model(), gradual(SparsityPattern.nOfM(2, 4), 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor '0_W'")
                .hasMessageContaining("not a multiple of m = 4");
    }

    @Test
    void nOfMOnAnLstmNamesTheLayerAndListsTheSupportedTypes() {
        TestNets.Fixture f = TestNets.build(Arch.LSTM, new Adam(0.01), false, 5);
        assertThatThrownBy(() -> PruningListener.attach(f.model(), gradual(SparsityPattern.nOfM(2, 4), 0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 0 'layer0' (LSTM)")
                .hasMessageContaining("ConvolutionLayer");
    }
}
