package org.topiary.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunSpecTest {

    @Test
    void of_hasNoListeners_andWithListenersReplacesThem() {
        RunSpec plain = RunSpec.of("gmp-90", ModelZoo::lenet300100);
        ListenerFactory factory = ctx -> java.util.List.of();

        assertThat(plain.withListeners(factory).listeners()).isSameAs(factory);
        assertThat(plain.withListeners(factory).name()).isEqualTo("gmp-90");
    }

    @Test
    void nameThatIsNotAFileName_isRejected_withThePattern() {
        assertThatThrownBy(() -> RunSpec.of("GMP 90/x", ModelZoo::lenet300100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a-z0-9][a-z0-9._-]*")
                .hasMessageContaining("'GMP 90/x'");
    }

    @Test
    void trainOptions_rejectNonPositiveValues_namingTheField() {
        assertThatThrownBy(() -> new TrainOptions(0, 128, 1)).hasMessage("epochs must be >= 1, found 0");
        assertThatThrownBy(() -> new TrainOptions(1, 0, 1)).hasMessage("batchSize must be >= 1, found 0");
        assertThat(TrainOptions.of(10, 1).stepsPerEpoch(60_000)).isEqualTo(469);
    }
}
