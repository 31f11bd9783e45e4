package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.testkit.MaskAssertions;

/**
 * Gradual magnitude pruning under DL4J's ParallelWrapper (parameter averaging, 2 workers): the
 * original model ends with the scheduled sparsity exactly, and averaging never brings a pruned
 * weight or its updater state back.
 */
class ParallelWrapperPruningTest {
    private static final int WORKERS = 2;
    private static final int BATCHES = 20;
    /** 0 -> 75 % between rounds 2 and 8, masks every 2 rounds: updates at 2, 4, 6, 8. */
    private static final PruningConfig GMP = PruningConfig.gradual(0.75, 2, 8, 2);

    /** A learnable task: the class is the argmax of a fixed linear map of the features. */
    private static List<DataSet> data(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray map = Nd4j.randn(DataType.FLOAT, 10, 3);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 8, 10);
            INDArray cls = x.mmul(map).argMax(1);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
            for (int i = 0; i < 8; i++) {
                y.putScalar(i, cls.getInt(i), 1f);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    private static ParallelWrapper wrapper(Model net, int averagingFrequency, boolean averageUpdaters) {
        return new ParallelWrapper.Builder<>(net)
                .workers(WORKERS)
                .prefetchBuffer(2)
                .averagingFrequency(averagingFrequency)
                .averageUpdaters(averageUpdaters)
                .build();
    }

    /**
     * Counts, on the original model at every gradient callback (so after any averaging of the
     * previous round), weights and Adam m/v entries that are not exactly 0.0 at pruned positions.
     */
    private static final class LeakCounter extends BaseTrainingListener {
        final MultiLayerNetwork original;
        final PruningState state;
        final AtomicLong checks = new AtomicLong();
        final AtomicLong leaks = new AtomicLong();

        LeakCounter(MultiLayerNetwork original, PruningState state) {
            this.original = original;
            this.state = state;
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (model != original) {
                return;
            }
            INDArray updaterState = original.getUpdater().getStateViewArray();
            long n = original.numParams();
            long offset = 0;
            // masks are only written by the original model's own thread, which is this one
            for (Map.Entry<String, INDArray> p : original.paramTable().entrySet()) {
                INDArray mask = state.mask(p.getKey());
                long len = p.getValue().length();
                if (mask != null) {
                    leaks.addAndGet(PruningListenerInvariantsTest.nonZeroWherePruned(p.getValue(), mask));
                    for (long base : new long[] {0, n}) { // Adam's state view is [m | v]
                        INDArray slice = updaterState.reshape(updaterState.length())
                                .get(NDArrayIndex.interval(base + offset, base + offset + len))
                                .reshape('f', p.getValue().shape());
                        leaks.addAndGet(PruningListenerInvariantsTest.nonZeroWherePruned(slice, mask));
                    }
                    checks.incrementAndGet();
                }
                offset += len;
            }
        }
    }

    private static void assertExactFinalSparsity(Model net, PruningListener pruning, List<String> ids) {
        for (String id : ids) {
            INDArray w = net.getParam(id);
            INDArray mask = pruning.state().mask(id);
            assertThat(mask).as("mask of %s", id).isNotNull();
            assertThat(MaskAssertions.zeros(w)).as("exact zeros of %s", id).isEqualTo(Math.round(0.75 * w.length()));
            assertThat(MaskAssertions.pruned(mask)).as("pruned entries of %s", id).isEqualTo(Math.round(0.75 * w.length()));
            MaskAssertions.assertZeroWherePruned(w, mask);
        }
        for (TensorSparsity t : pruning.report().tensors()) {
            assertThat(t.zeros()).as("report of %s", t.id()).isEqualTo(Math.round(0.75 * t.size()));
        }
    }

    @ParameterizedTest(name = "averagingFrequency={0}, averageUpdaters={1}")
    @CsvSource({"1, true", "3, true", "1, false"})
    void parameterAveraging_originalModelEndsExactlySparseAndAveragingNeverRevivesAPrunedWeight(
            int averagingFrequency, boolean averageUpdaters) {
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 11).model();
        List<DataSet> data = data(3);
        DataSet all = DataSet.merge(data);
        INDArray biasesBefore = net.getParam("0_b").dup();
        double scoreBefore = net.score(all);
        PruningListener pruning = PruningListener.attach(net, GMP);
        LeakCounter leaks = new LeakCounter(net, pruning.state());
        net.addListeners(leaks);

        for (int epoch = 0; epoch < 3; epoch++) {
            ParallelWrapper pw = wrapper(net, averagingFrequency, averageUpdaters);
            pw.fit(new ListDataSetIterator<>(data, 1));
        }

        // a step is one ParallelWrapper round: one minibatch on each of the 2 workers
        assertThat(net.getIterationCount()).isEqualTo(3 * BATCHES / WORKERS);
        assertThat(pruning.history()).extracting(SparsityEvent::step).containsExactly(2L, 4L, 6L, 8L);
        assertExactFinalSparsity(net, pruning, List.of("0_W", "1_W", "2_W"));
        assertThat(pruning.state().masks().keySet()).noneMatch(id -> id.endsWith("_b"));
        assertThat(net.getParam("0_b")).isNotEqualTo(biasesBefore);
        assertThat(leaks.checks.get()).isGreaterThan(0);
        assertThat(leaks.leaks.get()).as("pruned weights or Adam m/v not exactly 0.0 after averaging").isZero();
        assertThat(net.score(all)).as("score after pruned parallel training").isLessThan(scoreBefore);
    }

    /** Holds the original model, or every other replica, between its gradients and its update. */
    private static final class Delay extends BaseTrainingListener {
        final Model original;
        final boolean delayOriginal;

        Delay(Model original, boolean delayOriginal) {
            this.original = original;
            this.delayOriginal = delayOriginal;
        }

        @Override
        public void onGradientCalculation(Model model) {
            if ((model == original) == delayOriginal) {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void replicaThatFinishedItsRound_getsNewMasksBeforeTheAveraging() {
        // the replica is idle when the original model publishes: the masks are written into it
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 31).model();
        PruningListener pruning = PruningListener.attach(net, GMP);
        LeakCounter leaks = new LeakCounter(net, pruning.state());
        net.addListeners(new Delay(net, true), leaks);
        wrapper(net, 1, true).fit(new ListDataSetIterator<>(data(9), 1));
        assertThat(net.getIterationCount()).isEqualTo(BATCHES / WORKERS);
        assertExactFinalSparsity(net, pruning, List.of("0_W", "1_W", "2_W"));
        // not only at the end (the last mask update repairs earlier losses): after every averaging
        assertThat(leaks.checks.get()).isGreaterThan(0);
        assertThat(leaks.leaks.get()).as("pruned weights or Adam m/v not exactly 0.0 after averaging").isZero();
    }

    @Test
    void replicaUpdatingWhileMasksArePublished_stillAveragesOnlyZeros() {
        // the original model publishes new masks while the replica waits between its (old-masked)
        // gradients and its update: the replica's own iterationDone must enforce them afterwards
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 29).model();
        PruningListener pruning = PruningListener.attach(net, GMP);
        LeakCounter leaks = new LeakCounter(net, pruning.state());
        net.addListeners(new Delay(net, false), leaks);
        wrapper(net, 1, true).fit(new ListDataSetIterator<>(data(8), 1));
        assertThat(net.getIterationCount()).isEqualTo(BATCHES / WORKERS);
        assertExactFinalSparsity(net, pruning, List.of("0_W", "1_W", "2_W"));
        // not only at the end (the last mask update repairs earlier losses): after every averaging
        assertThat(leaks.checks.get()).isGreaterThan(0);
        assertThat(leaks.leaks.get()).as("pruned weights or Adam m/v not exactly 0.0 after averaging").isZero();
    }

    /**
     * On every replica but the original model: snapshots the replica's params and updater state
     * in its gradient callback (after the pruning listener's), holds it there for 100 ms (the
     * original model, held 30 ms in its own gradient callback, meanwhile finishes its round and
     * publishes masks) and counts the snapshots another thread changed in the meantime.
     */
    private static final class MidRoundWrites extends BaseTrainingListener {
        final Model original;
        final AtomicLong rounds = new AtomicLong();
        final AtomicLong written = new AtomicLong();

        MidRoundWrites(Model original) {
            this.original = original;
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (model == original) {
                return;
            }
            INDArray params = model.params().dup();
            INDArray updaterState = ((MultiLayerNetwork) model).getUpdater().getStateViewArray().dup();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rounds.incrementAndGet();
            if (!params.equals(model.params()) || !updaterState.equals(((MultiLayerNetwork) model).getUpdater().getStateViewArray())) {
                written.incrementAndGet();
            }
        }
    }

    @Test
    void replicaInItsRound_isNeverWrittenByAnotherThread() {
        // a replica between its gradients and its iterationDone runs its own updater and step on
        // its params and updater state: a mask publication must leave them to the replica's own
        // iterationDone (writing them concurrently loses the replica's update at kept weights)
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 37).model();
        PruningListener pruning = PruningListener.attach(net, GMP);
        MidRoundWrites probe = new MidRoundWrites(net);
        LeakCounter leaks = new LeakCounter(net, pruning.state());
        net.addListeners(probe, new Delay(net, true), leaks);
        wrapper(net, 1, true).fit(new ListDataSetIterator<>(data(10), 1));
        assertThat(pruning.history()).extracting(SparsityEvent::step).containsExactly(2L, 4L, 6L, 8L);
        assertThat(probe.rounds.get()).isEqualTo(BATCHES / WORKERS);
        assertThat(probe.written.get()).as("replica rounds whose params or updater state another thread wrote").isZero();
        assertExactFinalSparsity(net, pruning, List.of("0_W", "1_W", "2_W"));
        // the replica, left alone in its round, enforced the masks itself before the averaging
        assertThat(leaks.checks.get()).isGreaterThan(0);
        assertThat(leaks.leaks.get()).as("pruned weights or Adam m/v not exactly 0.0 after averaging").isZero();
    }

    @Test
    void computationGraph_averagingEveryThirdRound_endsExactlySparse() {
        ComputationGraph net = (ComputationGraph) TestNets.build(Arch.CG_MERGE, new Adam(0.02), false, 5).model();
        PruningListener pruning = PruningListener.attach(net, GMP);
        List<DataSet> data = data(4);
        for (int epoch = 0; epoch < 2; epoch++) {
            wrapper(net, 3, true).fit(new ListDataSetIterator<>(data, 1));
        }
        assertThat(net.getIterationCount()).isEqualTo(2 * BATCHES / WORKERS);
        assertExactFinalSparsity(net, pruning, List.of("left_W", "right_W", "out_W"));
    }

    @Test
    void listenerAddedWithoutAttach_stillFollowsTheOriginalModel() {
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 13).model();
        PruningListener pruning = PruningListener.create(GMP);
        net.addListeners(pruning); // not bound yet: a replica may call it before the original does
        List<DataSet> data = data(5);
        for (int epoch = 0; epoch < 2; epoch++) {
            wrapper(net, 1, true).fit(new ListDataSetIterator<>(data, 1));
        }
        assertExactFinalSparsity(net, pruning, List.of("0_W", "1_W", "2_W"));
    }

    @Test
    void gradientSharing_isRefusedNamingTheTrainingMode() throws Exception {
        MultiLayerNetwork net = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 17).model();
        PruningListener.attach(net, GMP);
        ParallelWrapper pw = new ParallelWrapper.Builder<>(net)
                .workers(WORKERS)
                .prefetchBuffer(2)
                .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS)
                .build();
        try {
            assertThatThrownBy(() -> pw.fit(new ListDataSetIterator<>(data(6), 1)))
                    .rootCause()
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("SHARED_GRADIENTS")
                    .hasMessageContaining("TrainingMode.AVERAGING");
        } finally {
            pw.close();
        }
    }

    @Test
    void independentModelOfTheSameArchitecture_isRefused() {
        MultiLayerNetwork a = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 19).model();
        MultiLayerNetwork b = (MultiLayerNetwork) TestNets.build(Arch.MLN_DENSE, new Adam(0.02), false, 23).model();
        PruningListener pruning = PruningListener.attach(a, GMP);
        assertThatThrownBy(() -> pruning.attachTo(b))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already attached to another model");
        b.addListeners(pruning);
        List<DataSet> data = data(7);
        assertThatThrownBy(() -> {
                    for (DataSet d : data) {
                        b.fit(d);
                    }
                })
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("create one PruningListener per model");
    }
}
