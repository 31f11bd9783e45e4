package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.testkit.MaskAssertions;

class PruningListenerTest {

    private static TestNets.Fixture dense() {
        return TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, 7);
    }

    private static PruningConfig.Builder gmp(double s) {
        return PruningConfig.builder().setSchedule(SparsitySchedule.polynomial(0, s, 1, 6)).optWindow(new UpdateWindow(1, 6, 1));
    }

    @Test
    void selectsWeightsOfEveryPrunableLayerByDefaultAndNeverBiases() {
        TestNets.Fixture f = dense();
        PruningListener p = PruningListener.attach(f.model(), gmp(0.5).build());
        assertThat(p.selectedParamIds()).containsExactly("0_W", "1_W", "2_W");
    }

    @Test
    void selectsByLayerNameTypeAndKeyInGraphs() {
        TestNets.Fixture f = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        assertThat(PruningListener.attach(f.model(), gmp(0.5).optLayers("left").build()).selectedParamIds()).containsExactly("left_W");
        TestNets.Fixture g = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        assertThat(PruningListener.attach(g.model(), gmp(0.5).optLayerTypes("OutputLayer").build()).selectedParamIds()).containsExactly("out_W");
        TestNets.Fixture h = TestNets.build(Arch.LSTM, new Adam(0.01), false, 7);
        assertThat(PruningListener.attach(h.model(), gmp(0.5).optParamKeys("RW").build()).selectedParamIds()).containsExactly("0_RW");
        TestNets.Fixture i = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        assertThat(PruningListener.attach(i.model(), gmp(0.5).optExclude("right").build()).selectedParamIds()).containsExactly("left_W", "out_W");
    }

    @Test
    void unknownLayerNameListsTheAvailableLayers() {
        TestNets.Fixture f = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        assertThatThrownBy(() -> PruningListener.attach(f.model(), gmp(0.5).optLayers("dense9").build()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("layer 'dense9' (in layers) matches no layer of the model")
                .hasMessageContaining("left (DenseLayer)")
                .hasMessageContaining("prunable params: left_W, right_W, out_W");
    }

    @Test
    void unknownTypeKeyExcludeAndOverrideAreErrors() {
        assertThatThrownBy(() -> PruningListener.attach(dense().model(), gmp(0.5).optLayerTypes("LSTM").build()))
                .hasMessageContaining("layer type 'LSTM' (in layerTypes) matches no layer of the model; layer types present: [DenseLayer, OutputLayer]");
        assertThatThrownBy(() -> PruningListener.attach(dense().model(), gmp(0.5).optParamKeys("b").build()))
                .hasMessageContaining("param key 'b' (in paramKeys) is not a prunable key of this model; prunable keys: [W]");
        assertThatThrownBy(() -> PruningListener.attach(dense().model(), gmp(0.5).optExclude("7").build()))
                .hasMessageContaining("'7' (in exclude) matches no layer or param of the model");
        assertThatThrownBy(() -> PruningListener.attach(dense().model(), gmp(0.5).optOverride("0_b", 0.5).build()))
                .isInstanceOf(SelectionException.class)
                .hasMessageContaining("'0_b' is not a prunable param (biases and BatchNormalization params are never pruned)");
        assertThatThrownBy(() -> PruningListener.attach(dense().model(), gmp(0.5).optLayerTypes("OutputLayer").optOverride("0", 0.5).build()))
                .hasMessageContaining("'0' (in overrides) matches no selected prunable layer or param");
        assertThatThrownBy(() -> PruningListener.attach(dense().model(), gmp(0.5).optExclude("0", "1", "2").build()))
                .hasMessageContaining("the selection leaves nothing to prune");
    }

    @Test
    void overrideAndExclusionApplyPerLayer() {
        TestNets.Fixture f = dense();
        PruningListener p = PruningListener.attach(f.model(), gmp(0.8).optOverride("1", 0.25).optExclude("2").build());
        for (int i = 0; i < 8; i++) {
            f.fitOnce();
        }
        MultiLayerNetwork net = (MultiLayerNetwork) f.model();
        assertThat(MaskAssertions.zeros(net.getParam("0_W"))).isEqualTo(MaskStrategy.countFor(0.8, 160));
        assertThat(MaskAssertions.zeros(net.getParam("1_W"))).isEqualTo(MaskStrategy.countFor(0.25, 192));
        assertThat(MaskAssertions.zeros(net.getParam("2_W"))).isZero();
        assertThat(p.selectedParamIds()).containsExactly("0_W", "1_W");
    }

    @Test
    void globalScopeMeetsTheTargetOverAllSelectedWeights() {
        TestNets.Fixture f = dense();
        PruningListener p = PruningListener.attach(f.model(), gmp(0.7).optScope(Scope.GLOBAL).build());
        for (int i = 0; i < 8; i++) {
            f.fitOnce();
        }
        long total = p.report().totalSize();
        assertThat(total - p.report().totalNonZeros()).isEqualTo(Math.round(0.7 * total));
        assertThat(p.report().tensors()).extracting(t -> t.sparsity()).doesNotContain(0.7);
    }

    @Test
    void zeroSparsityChangesNothing() {
        TestNets.Fixture a = dense();
        TestNets.Fixture b = dense();
        PruningListener.attach(b.model(), PruningConfig.builder().setSchedule(SparsitySchedule.constant(0.0)).optWindow(new UpdateWindow(0, 5, 1)).build());
        for (int i = 0; i < 6; i++) {
            a.fitOnce();
            b.fitOnce();
        }
        assertThat(b.model().params()).isEqualTo(a.model().params());
        INDArray x = a.batch().getFeatures();
        assertThat(((MultiLayerNetwork) b.model()).output(x)).isEqualTo(((MultiLayerNetwork) a.model()).output(x));
    }

    @Test
    void stepFollowsTheModelIterationCountAcrossEpochsOfAnIterator() {
        TestNets.Fixture f = dense();
        PruningConfig c = PruningConfig.builder().setSchedule(SparsitySchedule.polynomial(0, 0.6, 4, 10)).optWindow(new UpdateWindow(4, 10, 2)).build();
        PruningListener p = PruningListener.attach(f.model(), c);
        List<DataSet> batches = f.batch().asList().subList(0, 6).stream().map(d -> d).toList();
        // 6 examples in batches of 2: 3 steps per epoch; 4 epochs = 12 steps
        ((MultiLayerNetwork) f.model()).fit(new ListDataSetIterator<>(batches, 2), 4);
        assertThat(p.history()).extracting(SparsityEvent::step).containsExactly(4L, 6L, 8L, 10L);
        assertThat(p.history().get(p.history().size() - 1).achieved()).isCloseTo(0.6, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void oneListenerServesOneModel() {
        TestNets.Fixture a = dense();
        TestNets.Fixture b = dense();
        PruningListener p = PruningListener.attach(a.model(), gmp(0.5).build());
        for (int i = 0; i < 3; i++) {
            a.fitOnce();
        }
        assertThat(p.state().masks()).isNotEmpty();
        b.model().addListeners(p);
        INDArray before = b.model().params().dup();
        // the same architecture outside a ParallelWrapper trainer thread is not a replica: refused
        // at its first callback, before the listener masks or trains it
        assertThatThrownBy(b::fitOnce).isInstanceOf(IllegalStateException.class).hasMessageContaining("create one PruningListener per model");
        assertThat(b.model().params()).isEqualTo(before);
        TestNets.Fixture c = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        c.model().addListeners(p);
        // not the saved-state error about a mask for 0_W: this is not a resume
        assertThatThrownBy(c::fitOnce).isInstanceOf(IllegalStateException.class).hasMessageContaining("create one PruningListener per model");
    }

    @Test
    void resumedStateReappliesMasksToAFreshModel() {
        TestNets.Fixture a = dense();
        PruningListener p = PruningListener.attach(a.model(), gmp(0.5).build());
        for (int i = 0; i < 7; i++) {
            a.fitOnce();
        }
        TestNets.Fixture fresh = dense();
        PruningState copy = PruningState.restore(p.config(), Map.copyOf(p.state().masks()), p.history());
        PruningListener resumed = PruningListener.resume(copy, PrunableParams.defaults()).attachTo(fresh.model());
        for (String id : resumed.selectedParamIds()) {
            MaskAssertions.assertZeroWherePruned(fresh.model().getParam(id), copy.mask(id));
        }
    }

    @Test
    void maskFromAnotherArchitectureIsRejectedOnResume() {
        TestNets.Fixture a = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        PruningListener p = PruningListener.attach(a.model(), gmp(0.5).build());
        for (int i = 0; i < 3; i++) {
            a.fitOnce();
        }
        PruningState s = PruningState.restore(p.config(), Map.of("left_W", p.state().mask("right_W")), List.of());
        TestNets.Fixture b = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        assertThatThrownBy(() -> PruningListener.resume(s, PrunableParams.defaults()).attachTo(b.model()))
                .hasMessageContaining("the saved mask of 'left_W' has shape [10, 8] but the model's param has shape [10, 12]");
        PruningState t = PruningState.restore(p.config(), Map.of("0_W", p.state().mask("left_W")), List.of());
        assertThatThrownBy(() -> PruningListener.resume(t, PrunableParams.defaults()).attachTo(TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7).model()))
                .hasMessageContaining("mask for '0_W', which is not a selected prunable param");
    }

    @Test
    void graphTrainsWithPruningThroughFitIterator() {
        TestNets.Fixture f = TestNets.build(Arch.CG_MERGE, new Adam(0.01), false, 7);
        PruningListener p = PruningListener.attach(f.model(), gmp(0.5).build());
        ((ComputationGraph) f.model()).fit(new ListDataSetIterator<>(f.batch().asList(), 4), 4);
        assertThat(p.report().sparsity()).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void registryAcceptsCustomLayersAndRejectsBadKeys() {
        PrunableParams r = PrunableParams.none().with(org.deeplearning4j.nn.conf.layers.DenseLayer.class, "W");
        assertThat(r.keysFor(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(1).nOut(1).build())).containsExactly("W");
        assertThat(r.keysFor(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(1).nOut(1).build())).isEmpty();
        assertThatThrownBy(() -> r.with(org.deeplearning4j.nn.conf.layers.DenseLayer.class, "W_mask"))
                .hasMessageContaining("param key 'W_mask' of DenseLayer is invalid");
    }
}
