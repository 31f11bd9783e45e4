package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipFile;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.examples.train.ModelZoo;

class TeacherFilesTest {
    @TempDir Path tmp;

    /** 16 random 784-pixel images, one per class then repeating, in batches of 8. */
    private static DataSetIterator tinyData() {
        Random r = new Random(3);
        float[] x = new float[16 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        float[] y = new float[16 * 10];
        for (int i = 0; i < 16; i++) {
            y[i * 10 + i % 10] = 1;
        }
        DataSet all = new DataSet(Nd4j.create(x, new long[] {16, 784}, 'c'),
                Nd4j.create(y, new long[] {16, 10}, 'c').castTo(DataType.FLOAT));
        List<DataSet> rows = all.asList();
        return new ListDataSetIterator<>(rows, 8);
    }

    @Test
    void trainsTheTeacherAndSavesItIntoANewFolder() throws IOException {
        MultiLayerNetwork fresh = ModelZoo.lenet300100(1);
        double before = fresh.params().sumNumber().doubleValue();
        Path file = tmp.resolve("teachers/kd/teacher.zip");

        MultiLayerNetwork trained = TeacherFiles.trainAndSave(fresh, tinyData(), 1, file);

        assertThat(trained.getIterationCount()).isEqualTo(2);
        assertThat(trained.params().sumNumber().doubleValue()).isNotEqualTo(before);
        assertThat(Files.isRegularFile(file)).isTrue();
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        assertThat(loaded.params()).isEqualTo(trained.params());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.getEntry("updaterState.bin")).as("no updater state").isNull();
        }
    }

    @Test
    void anUnwritableFileIsReportedByName() throws IOException {
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Path file = blocker.resolve("teacher.zip");

        assertThatThrownBy(() -> TeacherFiles.trainAndSave(ModelZoo.lenet300100(1), tinyData(), 1, file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot write the teacher to " + file);
    }
}
