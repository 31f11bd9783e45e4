package org.topiary.sparsity.dl4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParamHandleTest {

    @Test
    void hashCodeAndEqualityDoNotChangeWhenTheWeightsChange() {
        INDArray view = Nd4j.ones(DataType.FLOAT, 3, 4);
        ParamHandle handle = new ParamHandle("0_W", "0", 0, "DenseLayer", "W", null, view);
        Map<ParamHandle, String> map = new HashMap<>();
        map.put(handle, "found");
        int before = handle.hashCode();

        view.muli(0.5).addi(7);

        assertThat(handle.hashCode()).isEqualTo(before);
        assertThat(map.get(handle)).isEqualTo("found");
    }

    @Test
    void handlesOnEqualValuedButDistinctArraysAreDistinct() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 2);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 2, 2);

        ParamHandle onA = new ParamHandle("0_W", "0", 0, "DenseLayer", "W", null, a);
        ParamHandle onB = new ParamHandle("0_W", "0", 0, "DenseLayer", "W", null, b);

        assertThat(onA).isNotEqualTo(onB);
        assertThat(onA).isEqualTo(new ParamHandle("0_W", "0", 0, "DenseLayer", "W", null, a));
    }
}
