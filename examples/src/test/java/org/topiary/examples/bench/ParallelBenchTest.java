package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.UpdateWindow;

/** ParallelBench's step arithmetic and settings, without training. */
class ParallelBenchTest {

    @Test
    void anEpochIsTheCeilingOfMinibatchesOverWorkersInRounds() {
        assertThat(ParallelBench.roundsPerEpoch(469, 2)).isEqualTo(235);
        assertThat(ParallelBench.roundsPerEpoch(468, 2)).isEqualTo(234);
        assertThat(ParallelBench.roundsPerEpoch(79, 2)).isEqualTo(40);
        assertThat(ParallelBench.roundsPerEpoch(469, 3)).isEqualTo(157);
    }

    @Test
    void protocolScheduleInRoundsPrunesFromEpochOneToEpochSevenEveryHundredRounds() {
        ParallelBench.Options o = ParallelBench.Options.protocol();
        assertThat(o.parallelLabel()).isEqualTo("pw-2");
        assertThat(o.config(235).window()).isEqualTo(new UpdateWindow(235, 1645, 100));
        assertThat(o.config(469).window()).isEqualTo(new UpdateWindow(469, 3283, 100));
        assertThat(o.config(235).scope()).isEqualTo(Scope.LAYER);
    }

    @Test
    void optionsRejectOneWorkerNamingTheOption() {
        assertThatThrownBy(() -> new ParallelBench.Options(List.of(1L), 10, 128, 1, 7, 100, 0.9, 1, 1, 2, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--workers must be >= 2");
    }

    @Test
    void aRepeatedSeedIsRejectedNamingSeeds() {
        // with 1,1 the summaries paired one run's pw-2 epochs with the other run's single epochs
        assertThatThrownBy(() -> new ParallelBench.Options(List.of(1L, 1L), 10, 128, 1, 7, 100, 0.9, 2, 1, 2, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--seeds names a seed twice");
    }

    @Test
    void sameInitialParamsMeansBitForBitNotWithinEpsilon() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 1, 50);
        INDArray b = a.dup();
        b.putScalar(0, 7, a.getFloat(0, 7) + 1e-6f);
        assertThat(a.equals(b)).as("INDArray.equals, the former check, tolerates 1e-5").isTrue();
        assertThat(ParallelBench.sameParams(a, b)).isFalse();
        assertThat(ParallelBench.sameParams(a, a.dup())).isTrue();
    }

    @Test
    void closingKeepsTheBodysFailureAndAddsTheCloseFailureAsSuppressed() {
        IllegalStateException training = new IllegalStateException("training failed");
        AutoCloseable failingClose = () -> {
            throw new Exception("close failed");
        };
        assertThatThrownBy(() -> ParallelBench.closing(failingClose, () -> {
            throw training;
        })).isSameAs(training);
        assertThat(training.getSuppressed()).extracting(Throwable::getMessage).containsExactly("close failed");
        assertThatThrownBy(() -> ParallelBench.closing(failingClose, () -> "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("close failed");
        int[] closed = {0};
        assertThat(ParallelBench.closing(() -> closed[0]++, () -> "ok")).isEqualTo("ok");
        assertThat(closed[0]).isEqualTo(1);
    }

    @Test
    void anEpochWithoutMeasurableReferenceCpuIsLeftOutOfTheMedianRatio() {
        SparsityReport s = SparsityReport.of(List.of(TensorSparsity.measure("0_W", Nd4j.ones(DataType.FLOAT, 2, 2), 0)));
        ParallelBench.Run single = new ParallelBench.Run("single", 1, 10, 20, List.of(0.8, 0.8), List.of(1.0, 1.0),
                List.of(0.0, 1.0), List.of(s, s), List.of(1L, 2L), List.of(10, 10), List.of());
        ParallelBench.Run pw = new ParallelBench.Run("pw-2", 1, 5, 10, List.of(0.8, 0.8), List.of(1.0, 1.0),
                List.of(1.0, 2.0), List.of(s, s), List.of(1L, 2L), List.of(10, 10), List.of());
        List<ParallelBench.Summary> sums = ParallelBench.summarize(ParallelBench.Options.protocol(), List.of(single, pw));
        assertThat(sums.get(1).medianCpuRatio()).isEqualTo(2.0);
        assertThat(sums.get(0).medianCpuRatio()).isEqualTo(1.0);
    }
}
