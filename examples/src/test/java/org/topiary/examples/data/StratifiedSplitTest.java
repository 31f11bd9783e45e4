package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation splits hold out the same fraction of every class, reproducibly. */
class StratifiedSplitTest {

    @Test
    void tenPercentSplit_holdsOutTenPercentOfEveryClass() {
        TrainValidationSplit split = FashionMnist.embedded().split(0.1, 1);

        assertThat(split.validation().size()).isEqualTo(1_000);
        assertThat(split.validation().classCounts()).containsOnly(100);
        assertThat(split.train().size()).isEqualTo(9_000);
        assertThat(split.train().classCounts()).containsOnly(900);
    }

    @Test
    void fullSetSplit_takesOnlyTrainingImages() {
        FashionMnist full = FullDataset.get();
        TrainValidationSplit split = full.split(1.0 / 6, 1);

        assertThat(split.validation().size()).isEqualTo(10_000);
        assertThat(split.validation().classCounts()).containsOnly(1_000);
        assertThat(split.train().size()).isEqualTo(50_000);
        assertThat(full.testSize()).isEqualTo(10_000);
    }

    @Test
    void parts_areDisjointAndTogetherHoldEveryExampleOnce() {
        LabeledImages all = FashionMnist.embedded().train();
        TrainValidationSplit split = all.stratifiedSplit(0.25, 9);

        Map<ByteBuffer, Integer> remaining = countExamples(all);
        for (LabeledImages part : new LabeledImages[] {split.train(), split.validation()}) {
            for (Map.Entry<ByteBuffer, Integer> e : countExamples(part).entrySet()) {
                remaining.merge(e.getKey(), -e.getValue(), Integer::sum);
            }
        }

        assertThat(remaining.values()).containsOnly(0);
        assertThat(split.train().size() + split.validation().size()).isEqualTo(all.size());
    }

    @Test
    void sameSeed_givesTheSameSplit_otherSeedAnother() {
        LabeledImages all = FashionMnist.embedded().train();

        TrainValidationSplit a = all.stratifiedSplit(0.1, 4);
        TrainValidationSplit b = all.stratifiedSplit(0.1, 4);
        TrainValidationSplit c = all.stratifiedSplit(0.1, 5);

        assertThat(a.validation().pixelArray()).isEqualTo(b.validation().pixelArray());
        assertThat(a.validation().pixelArray()).isNotEqualTo(c.validation().pixelArray());
    }

    @Test
    void splitIterators_coverTheirParts() {
        TrainValidationSplit split = FashionMnist.embedded().split(0.2, 1);

        assertThat(split.trainIterator(1_000, 1).next().numExamples()).isEqualTo(1_000);
        assertThat(split.validationIterator(5_000).next().numExamples()).isEqualTo(2_000);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
    void fractionOutsideOpenUnitInterval_isRejectedWithTheValue(double fraction) {
        LabeledImages all = FashionMnist.embedded().test();

        assertThatThrownBy(() -> all.stratifiedSplit(fraction, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("validationFraction must be in (0, 1), found " + fraction);
    }

    @Test
    void fractionTooSmallForAClass_isRejectedWithAUsableRange() {
        LabeledImages all = FashionMnist.embedded().test();

        assertThatThrownBy(() -> all.stratifiedSplit(0.001, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validationFraction=0.001 leaves class 0 (200 examples)")
                .hasMessageContaining("no validation example")
                .hasMessageContaining("choose a fraction between 0.005 and 0.995");
    }

    private static Map<ByteBuffer, Integer> countExamples(LabeledImages images) {
        Map<ByteBuffer, Integer> counts = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            ByteBuffer key = ByteBuffer.allocate(LabeledImages.PIXELS + 1)
                    .put(images.image(i)).put((byte) images.label(i)).flip();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }
}
