package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
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
}
