package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.topiary.distill.conf.KdLoss;
import org.topiary.distill.internal.HintGraph;

/**
 * The hint batches' iterator contract, which DL4J's fit relies on (it wraps an iterator that
 * says asyncSupported in an AsyncMultiDataSetIterator and resets one that says resetSupported):
 * every capability is the wrapped iterator's, reset reaches it, and a pre-processor sees the
 * converted batch (KD labels first, then one hint target per hint), for next() and next(int).
 */
class HintBatchesContractTest {
    private static final DataSet TRAIN = Fixtures.blobs(96, 61);

    /** A wrapped iterator whose capabilities the test chooses and whose resets it counts. */
    private static final class Probe extends ListDataSetIterator<DataSet> {
        final boolean async;
        final boolean resettable;
        int resets;

        Probe(boolean async, boolean resettable) {
            super(TRAIN.asList(), 32);
            this.async = async;
            this.resettable = resettable;
        }

        @Override
        public boolean asyncSupported() {
            return async;
        }

        @Override
        public boolean resetSupported() {
            return resettable;
        }

        @Override
        public void reset() {
            resets++;
            super.reset();
        }
    }

    private static HintGraph graph(MultiLayerNetwork teacher) {
        return HintGraph.build(Fixtures.graph(6, 63), teacher, List.of(Hint.of("hidden", "0")), KdLoss.of(2, 0.5));
    }

    @Test
    void capabilitiesAndResetAreTheWrappedIterators() {
        MultiLayerNetwork teacher = Fixtures.mlp(8, 62);
        HintGraph hg = graph(teacher);
        for (boolean async : new boolean[] {false, true}) {
            for (boolean resettable : new boolean[] {false, true}) {
                Probe base = new Probe(async, resettable);
                MultiDataSetIterator it = hg.iterator(base, TeacherSource.online(teacher));
                assertThat(it.asyncSupported()).isEqualTo(async);
                assertThat(it.resetSupported()).isEqualTo(resettable);
                int n = 0;
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
                assertThat(n).isEqualTo(3);
                it.reset();
                assertThat(base.resets).isEqualTo(1);
                assertThat(it.hasNext()).isTrue();
            }
        }
    }

    @Test
    void thePreProcessorSeesTheConvertedBatchForBothNexts() {
        MultiLayerNetwork teacher = Fixtures.mlp(8, 62);
        HintGraph hg = graph(teacher);
        DataSetIterator base = new ListDataSetIterator<>(TRAIN.asList(), 32);
        MultiDataSetIterator it = hg.iterator(base, TeacherSource.online(teacher));
        assertThat(it.getPreProcessor()).isNull();
        List<Integer> labelCounts = new ArrayList<>();
        it.setPreProcessor(m -> labelCounts.add(m.getLabels().length));
        assertThat(it.getPreProcessor()).isNotNull();

        MultiDataSet a = it.next();
        MultiDataSet b = it.next(32);

        assertThat(labelCounts).containsExactly(2, 2);
        for (MultiDataSet m : new MultiDataSet[] {a, b}) {
            assertThat(m.getFeatures()).hasSize(1);
            assertThat(m.getLabels()).hasSize(2);
            // KD labels: one-hot plus the teacher's logits; hint target: the teacher layer's width
            assertThat(m.getLabels(0).size(1)).isEqualTo(2L * Fixtures.CLASSES);
            assertThat(m.getLabels(1).size(1)).isEqualTo(8L);
        }
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
    }
}
