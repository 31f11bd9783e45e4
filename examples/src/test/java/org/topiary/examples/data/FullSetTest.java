package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full set from the Debian package loads completely and bit-exactly. */
class FullSetTest {

    @Test
    void fullSet_loads60000TrainAnd10000TestImagesBalancedOverClasses() {
        FashionMnist data = FullDataset.get();

        assertThat(data.trainSize()).isEqualTo(60_000);
        assertThat(data.testSize()).isEqualTo(10_000);
        assertThat(data.train().classCounts()).containsOnly(6_000);
        assertThat(data.test().classCounts()).containsOnly(1_000);
        assertThat(data.isEmbeddedSubset()).isFalse();
        assertThat(data.source())
                .isEqualTo("/usr/share/datasets/fashion-mnist (full: 60000 train / 10000 test)");
    }

    /*
     * Expected values computed independently with Python 3 on the same files:
     *   img = gzip.open('train-images-idx3-ubyte.gz').read(); lab = gzip.open(...labels...).read()
     *   hashlib.sha256(img[16:16+784]).hexdigest(), sum(img[16:16+784]), lab[8]
     * and likewise for the last training image (img[-784:], lab[-1]) and the first test image.
     */
    @Test
    void firstAndLastImages_matchChecksumsComputedWithPython() {
        FashionMnist data = FullDataset.get();
        LabeledImages train = data.train();

        assertThat(sha256(train.image(0)))
                .isEqualTo("5bd44e331a6d6998daf675700cd0c13dcd7af8ab954b7585124124da61459e7b");
        assertThat(unsignedSum(train.image(0))).isEqualTo(76_247);
        assertThat(train.label(0)).isEqualTo(9);

        assertThat(sha256(train.image(59_999)))
                .isEqualTo("489c477715bd5275b2646b28941db83e4ff26ece5302728fcb7632e1be5110ac");
        assertThat(unsignedSum(train.image(59_999))).isEqualTo(16_684);
        assertThat(train.label(59_999)).isEqualTo(5);

        assertThat(sha256(data.test().image(0)))
                .isEqualTo("ffc7351ed0f8bae542820866086177fa4e0b366b97bf9d998dffdb8dbe138787");
        assertThat(data.test().label(0)).isEqualTo(9);
    }

    @Test
    void absentFullSet_failsTheTestWithTheInstallCommand(@TempDir Path empty) {
        assertThatThrownBy(() -> FullDataset.requireComplete(empty))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining(FashionMnist.TRAIN_IMAGES);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("Every JDK has SHA-256", e);
        }
    }

    private static int unsignedSum(byte[] bytes) {
        int sum = 0;
        for (byte b : bytes) {
            sum += b & 0xff;
        }
        return sum;
    }
}
