package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class ShiftedDataSetIteratorTest {
    /** The fixtures' 10 features read as one 2x5 image. */
    private static final ImageShifts SHIFTS = ImageShifts.square(1, 2, 5, 1);
    private static final DataSet DATA = Fixtures.blobs(48, 3);

    private static List<DataSet> epoch(DataSetIterator it) {
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        it.reset();
        return out;
    }

    @Test
    void everyExampleIsOneShiftedCopyOfTheOriginalWithItsOwnLabel() {
        DataSetIterator it = ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 5);
        int row = 0;
        int[] used = new int[SHIFTS.size()];
        for (int epoch = 0; epoch < 3; epoch++) {
            row = 0;
            for (DataSet b : epoch(it)) {
                for (int i = 0; i < b.numExamples(); i++, row++) {
                    INDArray x = DATA.getFeatures().getRow(row, true);
                    assertThat(b.getLabels().getRow(i)).isEqualTo(DATA.getLabels().getRow(row));
                    int match = -1;
                    for (int k = 0; k < SHIFTS.size() && match < 0; k++) {
                        if (SHIFTS.apply(x, k).equals(b.getFeatures().getRow(i, true))) {
                            match = k;
                        }
                    }
                    assertThat(match).as("row %d is a shifted copy", row).isGreaterThanOrEqualTo(0);
                    used[match]++;
                }
            }
        }
        assertThat(row).isEqualTo(48);
        // 144 uniform draws over 9 shifts: every shift appears (each is missing with probability 1e-7)
        assertThat(used).doesNotContain(0);
    }

    @Test
    void theSameSeedGivesTheSameShiftsAndEachEpochNewOnes() {
        DataSetIterator a = ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 7);
        DataSetIterator b = ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 7);
        DataSetIterator c = ShiftedDataSetIterator.wrap(Fixtures.iterator(DATA, 16), SHIFTS, 8);
        List<DataSet> a1 = epoch(a);
        List<DataSet> a2 = epoch(a);
        List<DataSet> b1 = epoch(b);
        List<DataSet> c1 = epoch(c);
        for (int i = 0; i < a1.size(); i++) {
            assertThat(a1.get(i).getFeatures()).isEqualTo(b1.get(i).getFeatures());
        }
        assertThat(a1.get(0).getFeatures()).isNotEqualTo(a2.get(0).getFeatures());
        assertThat(a1.get(0).getFeatures()).isNotEqualTo(c1.get(0).getFeatures());
        assertThat(a.totalOutcomes()).isEqualTo(Fixtures.CLASSES);
    }
}
