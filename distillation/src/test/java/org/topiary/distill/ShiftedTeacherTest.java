package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Shift-averaged targets, caches of shifted copies and consistent distillation. */
class ShiftedTeacherTest {
    /** The fixtures' 10 features read as one 2x5 image. */
    private static final ImageShifts SHIFTS = ImageShifts.square(1, 2, 5, 1);
    private static final DataSet DATA = Fixtures.blobs(64, 4);

    /** A hand-checkable teacher: logits {@code [x[0], x[7], 0, 0]}, counting its calls. */
    private static final class PixelTeacher implements TeacherSource {
        int calls;

        @Override
        public INDArray logits(INDArray features) {
            calls++;
            long n = features.size(0);
            INDArray z = Nd4j.zeros(DataType.FLOAT, n, Fixtures.CLASSES);
            for (int i = 0; i < n; i++) {
                z.putScalar(i, 0, features.getFloat(i, 0));
                z.putScalar(i, 1, features.getFloat(i, 7));
            }
            return z;
        }

        @Override
        public long numClasses() {
            return Fixtures.CLASSES;
        }
    }

    @Test
    void shiftAveragedLogitsAreTheMeanOverTheShiftedImages() {
        // 2x5 image, pixels 1..10 row-major: [[1 2 3 4 5], [6 7 8 9 10]]
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new long[] {1, 10}, 'c');
        INDArray z = TeacherSource.shiftAveraged(new PixelTeacher(), SHIFTS).logits(x);
        // out[0,0] = in[-dy, -dx]: (0,0) → 1, (-1,-1) → in[1,1] = 7, (-1,0) → in[1,0] = 6,
        // (0,-1) → in[0,1] = 2, the other five shifts bring in 0: (1 + 7 + 6 + 2) / 9
        assertThat(z.getDouble(0, 0)).isCloseTo(16.0 / 9, within(1e-6));
        // out[1,2] (index 7) = in[1 - dy, 2 - dx]: dy = 0 → in[1, 1..3] = 7 + 8 + 9,
        // dy = 1 → in[0, 1..3] = 2 + 3 + 4, dy = -1 → row 2 is outside: (24 + 9) / 9
        assertThat(z.getDouble(0, 1)).isCloseTo(33.0 / 9, within(1e-6));
        assertThat(z.getDouble(0, 2)).isZero();
    }

    @Test
    void aCacheWithShiftsServesEveryShiftedCopyAndAveragesWithoutAskingTheTeacherAgain(@TempDir Path dir) {
        PixelTeacher teacher = new PixelTeacher();
        TeacherSource cache = TeacherSource.cached(teacher, Fixtures.iterator(DATA, 32),
                CacheOptions.inFile(dir.resolve("shifts.logits")).withShifts(SHIFTS));
        assertThat(teacher.calls).isEqualTo(2 * SHIFTS.size());
        assertThat(cache.toString()).contains(64 * SHIFTS.size() + " distinct").contains("9 shifted copies each");
        INDArray x = DATA.getFeatures();
        for (int k = 0; k < SHIFTS.size(); k++) {
            INDArray xk = SHIFTS.apply(x, k);
            assertThat(cache.logits(xk)).as("shift %d", k).isEqualTo(teacher.logits(xk));
        }
        teacher.calls = 0;
        INDArray fromCache = TeacherSource.shiftAveraged(cache, SHIFTS).logits(x);
        assertThat(teacher.calls).isZero();
        INDArray direct = TeacherSource.shiftAveraged(teacher, SHIFTS).logits(x);
        assertThat(fromCache.sub(direct).amaxNumber().doubleValue()).isLessThan(1e-6);
        cache.close();
        try (TeacherSource reopened = TeacherSource.openCache(dir.resolve("shifts.logits"))) {
            INDArray x3 = SHIFTS.apply(x, 3);
            assertThat(reopened.logits(x3)).isEqualTo(teacher.logits(x3));
        }
    }

    @Test
    void aShiftTheCacheDoesNotHoldFailsSayingWhy() {
        TeacherSource cache = TeacherSource.cached(new PixelTeacher(), Fixtures.iterator(DATA, 32),
                CacheOptions.inMemory().withShifts(ImageShifts.of(1, 2, 5, new int[] {0, 1})));
        INDArray twoRight = ImageShifts.of(1, 2, 5, new int[] {0, 2}).apply(DATA.getFeatures(), 1);
        assertThatThrownBy(() -> cache.logits(twoRight)).hasMessageContaining("is not in the cached teacher");
        assertThatThrownBy(() -> CacheOptions.inMemory().withShifts(null)).hasMessageContaining("shifts");
        assertThat(CacheOptions.inMemory().withShifts(SHIFTS)).isEqualTo(CacheOptions.inMemory().withShifts(SHIFTS))
                .isNotEqualTo(CacheOptions.inMemory());
        assertThat(CacheOptions.inMemory().withShifts(SHIFTS).shifts()).contains(SHIFTS);
    }

    @Test
    void consistentDistillationTrainsMultiLayerAndGraphStudentsOnShiftedImages() {
        MultiLayerNetwork teacherNet = Fixtures.trainedTeacher(DATA);
        TeacherSource cache = TeacherSource.cached(TeacherSource.online(teacherNet), Fixtures.iterator(DATA, 64),
                CacheOptions.inMemory().withShifts(SHIFTS));
        MultiLayerNetwork mln = Fixtures.mlp(8, 11);
        ComputationGraph cg = Fixtures.graph(8, 11);
        INDArray mlnBefore = mln.params().dup();
        INDArray cgBefore = cg.params().dup();
        DistillationTrainer.builder(mln, cache).optEpochs(2).build()
                .fit(ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 1));
        DistillationTrainer.builder(cg, cache).optEpochs(2).build()
                .fit(ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 1));
        assertThat(mln.params()).isNotEqualTo(mlnBefore);
        assertThat(cg.params()).isNotEqualTo(cgBefore);
        assertThat(mln.output(DATA.getFeatures()).sum(1).getDouble(0)).isCloseTo(1.0, within(1e-5));
        assertThat(cg.outputSingle(DATA.getFeatures()).sum(1).getDouble(0)).isCloseTo(1.0, within(1e-5));
        // shift-averaged targets of a shifted image need shifts of shifts, which the cache does not hold
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.mlp(8, 12), TeacherSource.shiftAveraged(cache, SHIFTS))
                        .build().fit(ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 1)))
                .hasMessageContaining("is not in the cached teacher");
    }
}
