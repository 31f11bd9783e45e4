package org.topiary.sparsity.dl4j.surgery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.dl4j.testkit.TestNets.Fixture;

class SurgeryPlanTest {

    private static final double TOL = 1e-5;

    private static INDArray out(Model m, INDArray x) {
        return m instanceof MultiLayerNetwork n ? n.output(x, false) : ((ComputationGraph) m).outputSingle(false, x);
    }

    private static void assertSameOutputs(Model masked, Model shrunk, INDArray x) {
        INDArray a = out(masked, x);
        INDArray b = out(shrunk, x);
        assertThat(b.shape()).isEqualTo(a.shape());
        assertThat(a.sub(b).amaxNumber().doubleValue()).isLessThanOrEqualTo(TOL);
    }

    /** Zeroes the incoming weights of dense units (columns of W) or conv filters (slices of W). */
    private static void kill(Model m, String layer, int... units) {
        INDArray w = m.getParam(layer + "_W");
        for (int j : units) {
            if (w.rank() == 2) {
                w.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(0);
            } else {
                w.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
            }
        }
    }

    private static void randomBiases(Model m) {
        Nd4j.getRandom().setSeed(3);
        for (Map.Entry<String, INDArray> e : m.paramTable().entrySet()) {
            if (e.getKey().endsWith("_b")) {
                e.getValue().assign(Nd4j.randn(DataType.FLOAT, e.getValue().shape()).muli(0.5));
            }
        }
    }

    private static LayerUnits units(SurgeryPlan plan, String layer) {
        return plan.layers().stream().filter(l -> l.layer().equals(layer)).findFirst().orElseThrow();
    }

    @Test
    void denseChain_removesDeadNeurons_foldsTheirConstantsIntoTheNextBias() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 1);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        randomBiases(net);
        kill(net, "0", 1, 3, 5);
        kill(net, "1", 2);

        ShrunkModel s = SurgeryPlan.of(net).apply();

        assertThat(s.report().unitsByLayer()).containsExactly(Map.entry("0", "16->13"), Map.entry("1", "12->11"), Map.entry("2", "3->3"));
        assertThat(units(SurgeryPlan.of(net), "0").removed()).containsExactly(1, 3, 5);
        assertThat(s.report().paramsAfter()).isEqualTo(s.network().numParams()).isEqualTo(10 * 13 + 13 + 13 * 11 + 11 + 11 * 3 + 3);
        assertThat(s.report().paramsBefore()).isEqualTo(net.numParams());
        assertSameOutputs(net, s.model(), f.batch().getFeatures());
    }

    @Test
    void aLayerWithEveryUnitDead_isRefusedNamingTheLayer() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 12);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        net.getParam("1_W").assign(0);

        SurgeryPlan plan = SurgeryPlan.of(net);

        // layer 1 has no incoming weights and layer 0 no outgoing ones: the first in order is named
        assertThat(units(plan, "0").after()).isZero();
        assertThat(units(plan, "1").after()).isZero();
        assertThatThrownBy(plan::apply)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer '0' (DenseLayer) would keep none of its 16 units")
                .hasMessageContaining("Prune that layer less");
    }

    @Test
    void unitsWithoutOutgoingWeights_areRemovedToo() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 11);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        randomBiases(net);
        net.getParam("1_W").get(NDArrayIndex.point(6), NDArrayIndex.all()).assign(0); // nothing reads unit 6 of layer 0
        kill(net, "0", 6, 9);

        ShrunkModel s = SurgeryPlan.of(net).apply();

        assertThat(s.report().unitsByLayer()).containsEntry("0", "16->14");
        net.getParam("1_W").get(NDArrayIndex.point(8), NDArrayIndex.all()).assign(0);
        ShrunkModel s2 = SurgeryPlan.of(net).apply();
        assertThat(s2.report().unitsByLayer()).containsEntry("0", "16->13");
        assertSameOutputs(net, s2.model(), f.batch().getFeatures());
    }

    @Test
    void shrunkModel_isAStandardDl4jModel_thatSavesAndLoads() throws Exception {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 2);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        kill(net, "0", 0, 2);
        MultiLayerNetwork shrunk = SurgeryPlan.of(net).apply().network();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(shrunk, bytes, false);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), false);
        assertThat(loaded.getLayerWiseConfigurations().getConf(0).getLayer()).isInstanceOf(org.deeplearning4j.nn.conf.layers.DenseLayer.class);
        assertSameOutputs(net, loaded, f.batch().getFeatures());
    }

    @Test
    void sourceModel_isNotChanged() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 3);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        INDArray before = net.params().dup();
        SurgeryPlan.of(net, Map.of("0", List.of(4, 7))).apply();
        assertThat(net.params()).isEqualTo(before);
    }

    @Test
    void noDeadUnits_givesAnEqualCopy() {
        Fixture f = TestNets.build(Arch.CG_MERGE, new Adam(1e-3), false, 4);
        SurgeryPlan plan = SurgeryPlan.of(f.model());
        assertThat(plan.removedUnits()).isZero();
        ShrunkModel s = plan.apply();
        assertThat(s.graph().numParams()).isEqualTo(f.model().numParams());
        assertSameOutputs(f.model(), s.model(), f.batch().getFeatures());
    }

    @Test
    void listedUnits_areRemoved_withTheirBiasFolded() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 5);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        randomBiases(net);
        SurgeryPlan plan = SurgeryPlan.of(net, Map.of("0", List.of(0, 15), "1", List.of(3)));
        assertThat(plan.removedUnits()).isEqualTo(3);
        MultiLayerNetwork zeroed = net.clone();
        kill(zeroed, "0", 0, 15);
        kill(zeroed, "1", 3);
        assertSameOutputs(zeroed, plan.apply().model(), f.batch().getFeatures());
    }

    @Test
    void pruningStateMasks_deadColumns_areRemoved() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 6);
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        INDArray mask = Nd4j.ones(DataType.BOOL, 10, 16);
        mask.get(NDArrayIndex.all(), NDArrayIndex.point(9)).assign(false);
        mask.putScalar(0, 3, 0); // one pruned weight does not kill a neuron
        Map<String, INDArray> masks = new HashMap<>();
        masks.put("0_W", mask);
        PruningState state = PruningState.restore(PruningConfig.gradual(0.5, 0, 10, 1), masks, List.of());

        ShrunkModel s = SurgeryPlan.of(net, state).apply();

        assertThat(s.report().unitsByLayer().get("0")).isEqualTo("16->15");
        MultiLayerNetwork masked = net.clone();
        masked.getParam("0_W").muli(mask.castTo(DataType.FLOAT));
        assertSameOutputs(masked, s.model(), f.batch().getFeatures());
    }

    @Test
    void convBatchNormConvPoolDense_removesFiltersAndBatchNormChannels_andFlattenedInputs() {
        Fixture f = TestNets.build(Arch.CNN_BATCHNORM, new Adam(1e-2), false, 7);
        for (int i = 0; i < 3; i++) {
            f.fitOnce(); // non-trivial batch-norm running statistics
        }
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        randomBiases(net);
        kill(net, "0", 1, 2); // conv -> BN -> ReLU -> conv (no padding): constants folded
        kill(net, "3", 0, 4); // conv -> maxpool -> flatten -> dense

        ShrunkModel s = SurgeryPlan.of(net).apply();

        assertThat(s.report().unitsByLayer())
                .containsEntry("0", "4->2").containsEntry("1", "4->2").containsEntry("3", "6->4").containsEntry("5", "10->10");
        assertSameOutputs(net, s.model(), f.batch().getFeatures());
    }

    @Test
    void paddedConvConsumer_keepsDeadFiltersWithANonZeroConstant_andSaysWhy() {
        MultiLayerNetwork net = SurgeryNets.convBnConvPoolDense(ConvolutionMode.Truncate, 1);
        randomBiases(net);
        kill(net, "0", 2);
        net.getParam("1_beta").putScalar(2, 5f); // BN then ReLU: a positive constant

        SurgeryPlan plan = SurgeryPlan.of(net);

        assertThat(units(plan, "0").removed()).isEmpty();
        assertThat(units(plan, "0").keptDead()).containsOnlyKeys(2);
        assertThat(units(plan, "0").keptDead().get(2)).contains("pads with zeros");
        assertSameOutputs(net, plan.apply().model(), Nd4j.rand(DataType.FLOAT, 4, 100));
    }

    @Test
    void paddedConvConsumer_removesDeadFiltersWithAZeroConstant() {
        MultiLayerNetwork net = SurgeryNets.convBnConvPoolDense(ConvolutionMode.Same, 0);
        randomBiases(net);
        kill(net, "3", 1, 3); // second conv -> BN -> pool -> dense: folded
        kill(net, "0", 0);
        // ReLU of a BN output: make the constant after BN and ReLU exactly 0
        net.getParam("1_beta").putScalar(0, -5f);

        SurgeryPlan plan = SurgeryPlan.of(net);

        assertThat(units(plan, "0").removed()).containsExactly(0);
        assertThat(units(plan, "3").removed()).containsExactly(1, 3);
        assertSameOutputs(net, plan.apply().model(), Nd4j.rand(DataType.FLOAT, 4, 100));
    }

    @Test
    void mergeVertex_removesTheMatchingSliceOfTheConsumerInput() {
        Fixture f = TestNets.build(Arch.CG_MERGE, new Adam(1e-3), false, 8);
        ComputationGraph cg = (ComputationGraph) f.model();
        randomBiases(cg);
        kill(cg, "left", 0, 11);
        kill(cg, "right", 3);

        ShrunkModel s = SurgeryPlan.of(cg).apply();

        assertThat(s.report().unitsByLayer()).containsEntry("left", "12->10").containsEntry("right", "8->7").containsEntry("out", "3->3");
        assertSameOutputs(cg, s.model(), f.batch().getFeatures());
    }

    @Test
    void elementWiseVertex_removesOnlyUnitsDeadInEveryCoupledProducer() {
        ComputationGraph cg = SurgeryNets.residual(ElementWiseVertex.Op.Add);
        randomBiases(cg);
        kill(cg, "a", 2, 4);
        kill(cg, "b", 4, 6);
        kill(cg, "c", 1);

        SurgeryPlan plan = SurgeryPlan.of(cg);

        assertThat(units(plan, "a").removed()).containsExactly(4);
        assertThat(units(plan, "b").removed()).containsExactly(4);
        assertThat(units(plan, "a").keptDead().get(2)).contains("'b'");
        assertThat(units(plan, "b").keptDead().get(6)).contains("'a'");
        assertThat(units(plan, "c").removed()).containsExactly(1);
        assertSameOutputs(cg, plan.apply().model(), Nd4j.randn(DataType.FLOAT, 5, 6));
    }

    @Test
    void elementWiseProduct_foldsTheProductOfTheConstants() {
        ComputationGraph cg = SurgeryNets.residual(ElementWiseVertex.Op.Product);
        randomBiases(cg);
        kill(cg, "a", 0, 7);
        kill(cg, "b", 0, 7);
        ShrunkModel s = SurgeryPlan.of(cg).apply();
        assertThat(s.report().unitsByLayer()).containsEntry("a", "8->6").containsEntry("b", "8->6").containsEntry("h", "4->4");
        assertSameOutputs(cg, s.model(), Nd4j.randn(DataType.FLOAT, 5, 6));
    }

    @Test
    void convMergeBatchNormGlobalPool_removesChannelsOfBothBranches() {
        ComputationGraph cg = SurgeryNets.convMerge();
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 2, 8, 8);
        cg.fit(new DataSet(x, Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2).castTo(DataType.FLOAT)));
        randomBiases(cg);
        kill(cg, "c1", 1);
        kill(cg, "c2", 0, 2);

        ShrunkModel s = SurgeryPlan.of(cg).apply();

        assertThat(s.report().unitsByLayer()).containsEntry("c1", "4->3").containsEntry("c2", "3->1").containsEntry("bn", "7->4");
        assertSameOutputs(cg, s.model(), x);
    }

    @Test
    void groupLassoOfResizedLayers_isDropped_soTheShrunkModelTrains() {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(10).nOut(16)
                        .regularization(List.of(org.topiary.sparsity.dl4j.conf.ProximalGroupLasso.outputNeurons(0.05, 10, 16),
                                new org.nd4j.linalg.learning.regularization.L2Regularization(1e-4)))
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(16).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        kill(net, "0", 0, 1, 2);

        MultiLayerNetwork shrunk = SurgeryPlan.of(net).apply().network();

        org.deeplearning4j.nn.conf.layers.BaseLayer layer =
                (org.deeplearning4j.nn.conf.layers.BaseLayer) shrunk.getLayerWiseConfigurations().getConf(0).getLayer();
        assertThat(layer.getRegularization()).singleElement().isInstanceOf(org.nd4j.linalg.learning.regularization.L2Regularization.class);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 3);
        y.getColumn(0).assign(1);
        shrunk.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 4, 10), y));
        assertThat(shrunk.params().isNaN().any()).isFalse();
    }

    @Test
    void unsupportedLayer_failsNamingTheLayerAndTheSupportedKinds() {
        Fixture f = TestNets.build(Arch.LSTM, new Adam(1e-3), false, 9);
        assertThatThrownBy(() -> SurgeryPlan.of(f.model()))
                .isInstanceOf(UnsupportedLayerException.class)
                .hasMessageContaining("layer '0' (LSTM)")
                .hasMessageContaining("DenseLayer")
                .hasMessageContaining("ConvolutionLayer");
    }

    @Test
    void listedUnits_ofAnUnknownLayerOrOutOfRange_fail() {
        Fixture f = TestNets.build(Arch.MLN_DENSE, new Adam(1e-3), false, 10);
        assertThatThrownBy(() -> SurgeryPlan.of(f.model(), Map.of("7", List.of(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer '7'").hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> SurgeryPlan.of(f.model(), Map.of("1", List.of(12))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 12").hasMessageContaining("[0, 12)");
    }
}
