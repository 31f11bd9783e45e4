package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.topiary.examples.data.FashionMnist.TEST_IMAGES;
import static org.topiary.examples.data.FashionMnist.TEST_LABELS;
import static org.topiary.examples.data.FashionMnist.TRAIN_IMAGES;
import static org.topiary.examples.data.FashionMnist.TRAIN_LABELS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of damaged or missing file raises a {@link DatasetFormatException} that names the
 * file and the problem. Files that a case never reaches are left empty.
 */
class CorruptFilesTest {

    private static final int TRAIN = 60_000;
    private static final long TRAIN_PIXELS = (long) TRAIN * LabeledImages.PIXELS;

    @TempDir Path dir;

    private AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails(String file)
            throws IOException {
        IdxFixtures.fillWithEmptyFiles(dir);
        return assertThatThrownBy(() -> FashionMnist.loadFrom(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(file)
                .satisfies(e -> assertThat(((DatasetFormatException) e).location()).endsWith(file));
    }

    @Test
    void notGzip_isReportedWithTheFirstBytes() throws IOException {
        Files.writeString(dir.resolve(TRAIN_IMAGES), "<html>404 Not Found</html>",
                StandardCharsets.US_ASCII);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("not gzip")
                .hasMessageContaining("starts with 0x3c68746d");
    }

    @Test
    void uncompressedIdx_isReportedAsNotGzipWithAHint() throws IOException {
        Files.write(dir.resolve(TRAIN_IMAGES), new byte[] {0, 0, 8, 3, 0, 0, (byte) 0xea, 0x60});
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("not gzip")
                .hasMessageContaining("uncompressed IDX file");
    }

    @Test
    void emptyFile_isReportedAsEmpty() throws IOException {
        assertLoadFails(TRAIN_IMAGES).hasMessageContaining("not gzip: the file is empty");
    }

    @Test
    void corruptCompressedData_isCaughtByTheGzipCrc() throws IOException {
        Path file = dir.resolve(TRAIN_IMAGES);
        IdxFixtures.noisyImages(file, TRAIN, 1);
        byte[] bytes = Files.readAllBytes(file);
        Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 64, (byte) 0xff);
        Files.write(file, bytes);
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), TRAIN);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("unreadable gzip")
                .hasMessageContaining("CRC or length check at the end of the gzip stream failed");
    }

    @Test
    void corruptHuffmanTables_areReportedAsUnreadableGzip() throws IOException {
        Path file = dir.resolve(TRAIN_IMAGES);
        IdxFixtures.noisyImages(file, TRAIN, 1);
        byte[] bytes = Files.readAllBytes(file);
        Arrays.fill(bytes, 12, 40, (byte) 0xff);
        Files.write(file, bytes);
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), TRAIN);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("unreadable gzip: the compressed data is corrupt, in the");
    }

    @Test
    void truncatedGzipFile_isReportedAsEndingEarly() throws IOException {
        Path file = dir.resolve(TRAIN_IMAGES);
        IdxFixtures.blackImages(file, TRAIN);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), TRAIN);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("truncated: the gzip stream ends early")
                .hasMessageContaining("of 47040016 uncompressed bytes");
    }

    @Test
    void labelsMagicInImagesFile_isReportedAsBadMagicWithSwapHint() throws IOException {
        IdxFixtures.images(dir.resolve(TRAIN_IMAGES), IdxFiles.LABELS_MAGIC, TRAIN, 28, 28, 0);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("bad magic number: expected 2051")
                .hasMessageContaining("found 2049")
                .hasMessageContaining("swapped");
    }

    @Test
    void foreignMagicInLabelsFile_isReportedAsBadMagic() throws IOException {
        IdxFixtures.blackImages(dir.resolve(TRAIN_IMAGES), TRAIN);
        IdxFixtures.labels(dir.resolve(TRAIN_LABELS), 0x12345678, TRAIN, new byte[0]);
        assertLoadFails(TRAIN_LABELS)
                .hasMessageContaining("bad magic number: expected 2049")
                .hasMessageContaining("found 305419896 (0x12345678)")
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void wrongImageSize_isReportedWithBothDimensions() throws IOException {
        IdxFixtures.images(dir.resolve(TRAIN_IMAGES), IdxFiles.IMAGES_MAGIC, TRAIN, 32, 32, 0);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("wrong image dimensions: expected 28x28, found 32x32");
    }

    @Test
    void wrongDeclaredCount_isReportedWithExpectedAndFound() throws IOException {
        IdxFixtures.images(dir.resolve(TRAIN_IMAGES), IdxFiles.IMAGES_MAGIC, 59_999, 28, 28, 0);
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), 59_999);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("wrong image count: expected 60000 images")
                .hasMessageContaining("found 59999");
    }

    @Test
    void labelCountDifferentFromImageCount_namesBothFiles() throws IOException {
        IdxFixtures.images(dir.resolve(TRAIN_IMAGES), IdxFiles.IMAGES_MAGIC, TRAIN, 28, 28, 0);
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), 59_999);
        assertLoadFails(TRAIN_LABELS)
                .hasMessageContaining("label/image count mismatch")
                .hasMessageContaining("declares 59999 labels")
                .hasMessageContaining(TRAIN_IMAGES + " declares 60000 images");
    }

    @Test
    void truncatedPixelData_isReportedWithExpectedAndFoundBytes() throws IOException {
        IdxFixtures.images(dir.resolve(TRAIN_IMAGES), IdxFiles.IMAGES_MAGIC, TRAIN, 28, 28, 784);
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), TRAIN);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining(
                        "truncated: expected 47040000 bytes of pixel data after the 16-byte header")
                .hasMessageContaining("found 784");
    }

    @Test
    void truncatedHeader_isReported() throws IOException {
        IdxFixtures.labels(dir.resolve(TRAIN_IMAGES), IdxFiles.IMAGES_MAGIC, TRAIN, new byte[0]);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining("truncated: the data ends after 8 bytes")
                .hasMessageContaining("16-byte IDX header");
    }

    @Test
    void dataBeyondTheDeclaredCount_isReported() throws IOException {
        IdxFixtures.images(dir.resolve(TRAIN_IMAGES), IdxFiles.IMAGES_MAGIC, TRAIN, 28, 28,
                TRAIN_PIXELS + LabeledImages.PIXELS);
        IdxFixtures.zeroLabels(dir.resolve(TRAIN_LABELS), TRAIN);
        assertLoadFails(TRAIN_IMAGES)
                .hasMessageContaining(
                        "extra data: 784 more bytes after the 60000 images declared in the header");
    }

    @Test
    void labelOutOfRange_isReportedWithItsIndexAndValue() throws IOException {
        IdxFixtures.blackImages(dir.resolve(TRAIN_IMAGES), TRAIN);
        byte[] labels = new byte[TRAIN];
        labels[12_345] = 10;
        IdxFixtures.labels(dir.resolve(TRAIN_LABELS), IdxFiles.LABELS_MAGIC, TRAIN, labels);
        assertLoadFails(TRAIN_LABELS)
                .hasMessageContaining("label out of range: label 12345 is 10")
                .hasMessageContaining("0..9");
    }

    @Test
    void missingFile_namesTheFileTheDirectoryAndHowToGetIt() throws IOException {
        IdxFixtures.fillWithEmptyFiles(dir);
        Files.delete(dir.resolve(TEST_LABELS));
        assertThatThrownBy(() -> FashionMnist.loadFrom(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("file not found")
                .hasMessageContaining(TEST_LABELS)
                .hasMessageContaining(dir.toAbsolutePath().normalize().toString())
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void missingEmbeddedResource_saysToRebuildTheJar() {
        IdxFiles.Source absent = IdxFiles.Source.resource(EmbeddedSubset.class, "absent.gz");
        assertThatThrownBy(() -> IdxFiles.readSplit(absent, absent, 1, "embedded subset"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("classpath:/org/topiary/examples/data/absent.gz")
                .hasMessageContaining("file not found")
                .hasMessageContaining("rebuild it with 'mvn -pl examples -am package'");
    }

    @Test
    void missingDirectory_isReportedWithHowToGetTheData() {
        Path absent = dir.resolve("no-such-dir");
        assertThatThrownBy(() -> FashionMnist.loadFrom(absent))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("directory not found")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void damagedTestSplit_isReportedAfterAnIntactTrainingSplit() throws IOException {
        IdxFixtures.copyFromFullSet(dir, TRAIN_IMAGES, TRAIN_LABELS);
        IdxFixtures.blackImages(dir.resolve(TEST_IMAGES), 9_999);
        IdxFixtures.zeroLabels(dir.resolve(TEST_LABELS), 9_999);
        assertLoadFails(TEST_IMAGES)
                .hasMessageContaining("wrong image count: expected 10000 images (the Fashion-MNIST"
                        + " test set), found 9999");
    }
}
