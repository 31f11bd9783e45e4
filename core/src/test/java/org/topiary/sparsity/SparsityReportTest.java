package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.internal.Arrays4j;

class SparsityReportTest {

    @Test
    void countsExactZerosPerTensorAndInTotal() {
        INDArray a = Nd4j.createFromArray(new float[][] {{0, 1}, {0, 0}});
        INDArray b = Nd4j.createFromArray(new float[] {1, 2, 3, 0, -0f, 1e-30f});
        INDArray mask = Arrays4j.boolMask(new boolean[] {false, true, false, false}, new long[] {2, 2});
        SparsityReport r =
                SparsityReport.of(List.of(TensorSparsity.measure("a", a, mask), TensorSparsity.measure("b", b, null)));
        assertThat(r.tensor("a").nonZeros()).isEqualTo(1);
        assertThat(r.tensor("a").sparsity()).isEqualTo(0.75);
        assertThat(r.tensor("a").maskBytes()).isEqualTo(4);
        assertThat(r.tensor("b").nonZeros()).isEqualTo(4);
        assertThat(r.totalSize()).isEqualTo(10);
        assertThat(r.totalNonZeros()).isEqualTo(5);
        assertThat(r.sparsity()).isEqualTo(0.5);
        assertThat(r.toTable()).contains("a", "[2, 2]", "0.7500", "total");
        assertThat(r.toJson()).contains("\"total_nonzero\" : 5", "\"sparsity\" : 0.5", "\"mask_bytes\" : 4");
    }
}
