package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PruningConfigTest {

    @Test
    void defaultWindowCoversTheSchedule() {
        PruningConfig c = PruningConfig.builder().setSchedule(SparsitySchedule.polynomial(0, 0.9, 469, 3283)).build();
        assertThat(c.window()).isEqualTo(new UpdateWindow(469, 3283, 100));
        assertThat(c.scope()).isEqualTo(Scope.LAYER);
        assertThat(c.scorer()).isEqualTo(ImportanceScorer.magnitude());
        assertThat(c.strategy()).isEqualTo(MaskStrategy.lowestScores());
    }

    @Test
    void missingScheduleIsAnError() {
        assertThatThrownBy(() -> PruningConfig.builder().build()).hasMessage("schedule must not be null");
    }

    @Test
    void windowEndingBeforeTheScheduleIsAnError() {
        assertThatThrownBy(
                        () ->
                                PruningConfig.builder()
                                        .setSchedule(SparsitySchedule.polynomial(0, 0.9, 0, 1000))
                                        .optWindow(new UpdateWindow(0, 900, 100))
                                        .build())
                .hasMessageContaining("window.endStep (900) is before schedule.endStep (1000)");
    }

    @Test
    void overrideOutOfRangeNamesTheLayer() {
        assertThatThrownBy(() -> PruningConfig.gradual(0.9, 0, 10, 1).toBuilder().optOverride("dense1", 1.0).build())
                .hasMessage("override for 'dense1' must be in [0, 1), found 1");
    }

    @Test
    void excludedAndOverriddenAtOnceIsAnError() {
        assertThatThrownBy(
                        () ->
                                PruningConfig.gradual(0.9, 0, 10, 1).toBuilder()
                                        .optOverride("x", 0.5)
                                        .optExclude("x")
                                        .build())
                .hasMessageContaining("'x' is both excluded and overridden");
    }

    @Test
    void scopeParsesCaseInsensitivelyAndListsValidValues() {
        assertThat(Scope.parse("Global")).isEqualTo(Scope.GLOBAL);
        assertThatThrownBy(() -> Scope.parse("tensor")).hasMessage("scope must be one of [layer, global], found 'tensor'");
    }

    @Test
    void equalConfigsAreEqual() {
        assertThat(PruningConfig.gradual(0.9, 1, 10, 2)).isEqualTo(PruningConfig.gradual(0.9, 1, 10, 2));
        assertThat(PruningConfig.gradual(0.9, 1, 10, 2).hashCode()).isEqualTo(PruningConfig.gradual(0.9, 1, 10, 2).hashCode());
        assertThat(PruningConfig.gradual(0.9, 1, 10, 2)).isNotEqualTo(PruningConfig.gradual(0.8, 1, 10, 2));
    }
}
