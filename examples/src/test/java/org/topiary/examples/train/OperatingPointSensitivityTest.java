package org.topiary.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Validation of the operating-point settings (the measurement itself is tested through the CLI and the bench). */
class OperatingPointSensitivityTest {
    private static final double[] GRID = {0.1, 0.5, 0.9};

    @Test
    void validSettings_keepAPrivateCopyOfTheGrid() {
        double[] grid = GRID.clone();
        var s = new OperatingPointSensitivity.Settings(0.96, 10, 128, 1, 7, 100, grid, 100);
        grid[0] = 0.7;
        assertThat(s.grid()).containsExactly(0.1, 0.5, 0.9);
        assertThat(s).isEqualTo(new OperatingPointSensitivity.Settings(0.96, 10, 128, 1, 7, 100, GRID, 100));
    }

    @Test
    void badSettings_nameTheField() {
        assertThatThrownBy(() -> new OperatingPointSensitivity.Settings(1.0, 10, 128, 1, 7, 100, GRID, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operatingSparsity must be in (0, 1), found 1.0");
        assertThatThrownBy(() -> new OperatingPointSensitivity.Settings(0.9, 5, 128, 1, 7, 100, GRID, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endEpoch (7) must be <= epochs (5)");
        assertThatThrownBy(() -> new OperatingPointSensitivity.Settings(0.9, 10, 128, 1, 7, 100, GRID, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recoverySteps");
        assertThatThrownBy(() -> new OperatingPointSensitivity.Settings(0.9, 10, 128, 1, 7, 100, new double[] {0.0, 0.5}, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grid[0] must be in (0, 1)");
    }
}
