package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MagnitudeScorerTest {

    @Test
    void scoresAreAbsoluteValuesInCOrderForEveryWeightLayout() {
        INDArray c = Nd4j.createFromArray(new float[][] {{-1, 2, -3}, {4, -0f, 6}});
        INDArray expected = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 0, 6}});
        for (INDArray w : new INDArray[] {c, c.dup('f'), c.castTo(DataType.DOUBLE)}) {
            INDArray s = ImportanceScorer.magnitude().score(PrunableTensor.of("w", w, null), 0);
            assertThat(s.ordering()).isEqualTo('c');
            assertThat(s.castTo(DataType.FLOAT)).isEqualTo(expected);
            assertThat(s.dataType()).isEqualTo(w.dataType());
        }
        INDArray view = c.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        assertThat(ImportanceScorer.magnitude().score(PrunableTensor.of("v", view, null), 0))
                .isEqualTo(Nd4j.createFromArray(new float[][] {{2, 3}, {0, 6}}));
        assertThat(c).as("weights untouched").isEqualTo(Nd4j.createFromArray(new float[][] {{-1, 2, -3}, {4, -0f, 6}}));
    }
}
