package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Minibatches: shapes, values, per-epoch order and the DataSetIterator contract. */
class ImageBatchIteratorTest {

    @Test
    void fullTrainingSetAt128_gives468FullBatchesAndOneOf96() {
        DataSetIterator it = FullDataset.get().trainIterator(128, 1);

        List<Long> sizes = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            assertThat(batch.getFeatures().dataType()).isEqualTo(DataType.FLOAT);
            assertThat(batch.getLabels().dataType()).isEqualTo(DataType.FLOAT);
            assertThat(batch.getFeatures().shape()[1]).isEqualTo(784);
            assertThat(batch.getLabels().shape()[1]).isEqualTo(10);
            sizes.add(batch.getFeatures().shape()[0]);
        }

        assertThat(sizes).hasSize(469);
        assertThat(sizes.subList(0, 468)).containsOnly(128L);
        assertThat(sizes.get(468)).isEqualTo(96L);
    }

    @Test
    void everyExampleAppearsExactlyOncePerEpoch_withItsPixelsAndLabel() {
        LabeledImages train = FullDataset.get().train();
        long seed = 3;
        DataSetIterator it = train.shuffledIterator(500, seed);

        for (int epoch = 0; epoch < 2; epoch++) {
            int[] order = Permutations.epochOrder(train.size(), seed, epoch);
            BitSet seen = new BitSet(train.size());
            for (int example : order) {
                seen.set(example);
            }
            assertThat(seen.cardinality()).isEqualTo(train.size());

            int position = 0;
            while (it.hasNext()) {
                DataSet batch = it.next();
                float[] features = batch.getFeatures().data().asFloat();
                float[] labels = batch.getLabels().data().asFloat();
                int rows = (int) batch.getFeatures().shape()[0];
                for (int k = 0; k < rows; k++, position++) {
                    int example = order[position];
                    assertExample(train, example, features, labels, k);
                }
            }
            assertThat(position).isEqualTo(train.size());
            it.reset();
        }
    }

    private static void assertExample(
            LabeledImages data, int example, float[] features, float[] labels, int row) {
        byte[] pixels = data.image(example);
        for (int p = 0; p < LabeledImages.PIXELS; p++) {
            float expected = (pixels[p] & 0xff) / 255f;
            if (features[row * LabeledImages.PIXELS + p] != expected) {
                assertThat(features[row * LabeledImages.PIXELS + p])
                        .as("pixel %d of example %d", p, example)
                        .isEqualTo(expected);
            }
        }
        for (int c = 0; c < LabeledImages.CLASSES; c++) {
            float expected = c == data.label(example) ? 1f : 0f;
            if (labels[row * LabeledImages.CLASSES + c] != expected) {
                assertThat(labels[row * LabeledImages.CLASSES + c])
                        .as("one-hot label %d of example %d", c, example)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void consecutiveEpochs_haveDifferentOrders() {
        DataSetIterator it = FashionMnist.embedded().trainIterator(1000, 7);

        List<Integer> first = labelSequence(it);
        it.reset();
        List<Integer> second = labelSequence(it);

        assertThat(first).hasSize(10_000).isNotEqualTo(second);
        assertThat(second).hasSameElementsAs(first);
    }

    @Test
    void sameSeed_givesTheSameOrderInEveryEpoch_otherSeedDoesNot() {
        FashionMnist data = FashionMnist.embedded();
        DataSetIterator a = data.trainIterator(1000, 11);
        DataSetIterator b = data.trainIterator(1000, 11);
        DataSetIterator c = data.trainIterator(1000, 12);

        for (int epoch = 0; epoch < 2; epoch++) {
            while (a.hasNext()) {
                DataSet fromA = a.next();
                DataSet fromB = b.next();
                assertThat(fromA.getFeatures()).isEqualTo(fromB.getFeatures());
                assertThat(fromA.getLabels()).isEqualTo(fromB.getLabels());
            }
            assertThat(b.hasNext()).isFalse();
            a.reset();
            b.reset();
        }
        assertThat(labelSequence(c)).isNotEqualTo(labelSequence(data.trainIterator(1000, 11)));
    }

    @Test
    void features_areInZeroOne_andLabelsAreOneHot() {
        DataSetIterator it = FashionMnist.embedded().trainIterator(2500, 1);

        while (it.hasNext()) {
            DataSet batch = it.next();
            assertThat(batch.getFeatures().minNumber().floatValue()).isEqualTo(0f);
            assertThat(batch.getFeatures().maxNumber().floatValue()).isEqualTo(1f);
            INDArray labels = batch.getLabels();
            assertThat(labels.sum(1).data().asFloat()).containsOnly(1f);
            assertThat(labels.maxNumber().floatValue()).isEqualTo(1f);
        }
    }

    @Test
    void resetOfAnUntouchedEpoch_keepsItsOrder() {
        FashionMnist data = FashionMnist.embedded();
        DataSetIterator reset = data.trainIterator(1000, 5);
        reset.reset();
        reset.reset();

        assertThat(((ImageBatchIterator) reset).epoch()).isZero();
        assertThat(labelSequence(reset)).isEqualTo(labelSequence(data.trainIterator(1000, 5)));
    }

    @Test
    void testIterator_isInFileOrderEveryEpoch() {
        FashionMnist data = FashionMnist.embedded();
        DataSetIterator it = data.testIterator(300);
        List<Integer> fileOrder = new ArrayList<>();
        for (int i = 0; i < data.testSize(); i++) {
            fileOrder.add(data.test().label(i));
        }

        assertThat(labelSequence(it)).isEqualTo(fileOrder);
        it.reset();
        assertThat(labelSequence(it)).isEqualTo(fileOrder);
    }

    @Test
    void iterator_reportsItsShapeAndCapabilities() {
        DataSetIterator it = FashionMnist.embedded().trainIterator(128, 1);

        assertThat(it.batch()).isEqualTo(128);
        assertThat(it.inputColumns()).isEqualTo(784);
        assertThat(it.totalOutcomes()).isEqualTo(10);
        assertThat(it.resetSupported()).isTrue();
        assertThat(it.asyncSupported()).isTrue();
        assertThat(it.getLabels()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    }

    @Test
    void preProcessor_runsOnEveryBatch() {
        DataSetIterator it = FashionMnist.embedded().testIterator(500);
        AtomicInteger calls = new AtomicInteger();
        it.setPreProcessor(batch -> {
            calls.incrementAndGet();
            batch.getFeatures().muli(2);
        });

        float max = 0;
        while (it.hasNext()) {
            max = Math.max(max, it.next().getFeatures().maxNumber().floatValue());
        }

        assertThat(calls).hasValue(4);
        assertThat(max).isEqualTo(2f);
        assertThat(it.getPreProcessor()).isNotNull();
    }

    @Test
    void returnedBatch_isNotOverwrittenByLaterBatches() {
        DataSetIterator it = FashionMnist.embedded().testIterator(100);
        DataSet first = it.next();
        INDArray copy = first.getFeatures().dup();
        INDArray labelsCopy = first.getLabels().dup();

        while (it.hasNext()) {
            it.next();
        }

        assertThat(first.getFeatures()).isEqualTo(copy);
        assertThat(first.getLabels()).isEqualTo(labelsCopy);
    }

    @Test
    void nextWithCount_returnsThatManyExamples() {
        DataSetIterator it = FashionMnist.embedded().testIterator(128);

        assertThat(it.next(7).numExamples()).isEqualTo(7);
        assertThat(it.next().numExamples()).isEqualTo(128);
        assertThat(it.next(5_000).numExamples()).isEqualTo(2_000 - 135);
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void nextAfterTheLastBatch_throwsAndSaysToReset() {
        DataSetIterator it = FashionMnist.embedded().testIterator(2_000);
        it.next();

        assertThatThrownBy(it::next)
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("call reset()");
    }

    @Test
    void nonPositiveBatchSize_isRejectedWithTheValue() {
        LabeledImages test = FashionMnist.embedded().test();

        assertThatThrownBy(() -> test.iterator(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1, found 0");
        assertThatThrownBy(() -> test.shuffledIterator(-3, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1, found -3");
    }

    @Test
    void multiLayerNetworkFitForTwoEpochs_resetsOnceBetweenEpochs() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(new Sgd(0.1))
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(784).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        DataSetIterator it = FashionMnist.embedded().test().shuffledIterator(500, 1);

        net.fit(it, 2);

        assertThat(net.getIterationCount()).isEqualTo(8);
        assertThat(((ImageBatchIterator) it).epoch()).isEqualTo(1);
    }

    private static List<Integer> labelSequence(DataSetIterator it) {
        List<Integer> labels = new ArrayList<>();
        while (it.hasNext()) {
            INDArray oneHot = it.next().getLabels();
            long[] argMax = oneHot.argMax(1).data().asLong();
            for (long label : argMax) {
                labels.add((int) label);
            }
        }
        return labels;
    }
}
