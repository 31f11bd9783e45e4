package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subset shipped in the jar is balanced and equals the images it was taken from. */
class EmbeddedSubsetTest {

    @Test
    void embeddedSubset_loads10000TrainAnd2000TestImagesBalancedOverClasses() {
        FashionMnist subset = FashionMnist.embedded();

        assertThat(subset.trainSize()).isEqualTo(10_000);
        assertThat(subset.testSize()).isEqualTo(2_000);
        assertThat(subset.train().classCounts()).containsOnly(1_000);
        assertThat(subset.test().classCounts()).containsOnly(200);
        assertThat(subset.isEmbeddedSubset()).isTrue();
        assertThat(subset.source())
                .isEqualTo("embedded subset (10000 train / 2000 test; install dataset-fashion-mnist"
                        + " or pass --data DIR for the full set)");
    }

    @Test
    void embeddedImages_equalTheFirstImagesOfEachClassInTheFullSet() {
        FashionMnist full = FullDataset.get();
        FashionMnist subset = FashionMnist.embedded();

        assertSameExamples(subset.train(), EmbeddedSubset.firstPerClass(full.train(), 1_000));
        assertSameExamples(subset.test(), EmbeddedSubset.firstPerClass(full.test(), 200));
    }

    /*
     * Computed independently with Python 3 from the full set's files: walk the labels in file
     * order, keep an image while its class has fewer than 1,000 (train) or 200 (test) kept, and
     * hash the concatenated kept pixels with hashlib.sha256.
     */
    @Test
    void embeddedPixels_matchTheSubsetComputedWithPython() {
        FashionMnist subset = FashionMnist.embedded();

        assertThat(FullSetTest.sha256(subset.train().pixelArray()))
                .isEqualTo("e1427044c614fabc29feeff0f27e6b68f88a9ee2f2cfe7d783b9157159864883");
        assertThat(FullSetTest.sha256(subset.train().labelArray()))
                .isEqualTo("2c02745d4ad8b4511333d0eca662ac5664a371860abaa4588b1670e7be59fbdf");
        assertThat(FullSetTest.sha256(subset.test().pixelArray()))
                .isEqualTo("96315b1732ab731e68b8def3c284f34b605f7deb7a61e683c7d786265c827c83");
        assertThat(FullSetTest.sha256(subset.test().labelArray()))
                .isEqualTo("b2095bc797d1201e84da76c94012c02d0e6f07af0938df4e00120a3b42d1aa4c");
    }

    @Test
    void writeSubset_regeneratesTheEmbeddedData(@TempDir Path dir) {
        EmbeddedSubset.writeSubset(FullDataset.get(), dir);
        FashionMnist embedded = FashionMnist.embedded();

        LabeledImages train = IdxFiles.readSplit(
                IdxFiles.Source.file(dir.resolve(FashionMnist.TRAIN_IMAGES)),
                IdxFiles.Source.file(dir.resolve(FashionMnist.TRAIN_LABELS)),
                10_000, "regenerated training subset");
        LabeledImages test = IdxFiles.readSplit(
                IdxFiles.Source.file(dir.resolve(FashionMnist.TEST_IMAGES)),
                IdxFiles.Source.file(dir.resolve(FashionMnist.TEST_LABELS)),
                2_000, "regenerated test subset");
        assertSameExamples(train, embedded.train());
        assertSameExamples(test, embedded.test());
    }

    @Test
    void writeSubset_refusesTheEmbeddedSubsetAsInput(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedSubset.writeSubset(FashionMnist.embedded(), dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full must be the full dataset");
    }

    @Test
    void firstPerClass_refusesASetWithTooFewExamplesOfAClass() {
        LabeledImages small = FashionMnist.embedded().test();

        assertThatThrownBy(() -> EmbeddedSubset.firstPerClass(small, 201))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Every class needs 201 examples");
    }

    private static void assertSameExamples(LabeledImages actual, LabeledImages expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(Arrays.mismatch(actual.labelArray(), expected.labelArray()))
                .as("index of the first different label").isEqualTo(-1);
        assertThat(Arrays.mismatch(actual.pixelArray(), expected.pixelArray()))
                .as("index of the first different pixel byte").isEqualTo(-1);
    }
}
