package org.topiary.sparsity.auto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SensitivityCurveTest {

    private static SensitivityCurve curve(long size, double[] grid, double[] metrics) {
        return new SensitivityCurve("0_W", size, grid, metrics, 0.90);
    }

    @Test
    void emptyGrid_isRejectedWithTheField() {
        assertThatThrownBy(() -> curve(100, new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sparsities of '0_W' must not be empty");
    }

    @Test
    void gridOutsideHalfOpenUnitInterval_isRejectedWithTheValue() {
        assertThatThrownBy(() -> curve(100, new double[] {0.5, 1.0}, new double[] {0.8, 0.1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sparsities of '0_W'[1] must be in [0, 1), found 1");
        assertThatThrownBy(() -> curve(100, new double[] {-0.1}, new double[] {0.8}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found -0.1");
    }

    @Test
    void gridNotStrictlyIncreasing_isRejected() {
        assertThatThrownBy(() -> curve(100, new double[] {0.5, 0.5}, new double[] {0.8, 0.8}))
                .hasMessageContaining("strictly increasing");
    }

    @Test
    void metricsOfTheWrongLengthOrNotFinite_areRejected() {
        assertThatThrownBy(() -> curve(100, new double[] {0.5}, new double[] {0.8, 0.7}))
                .hasMessageContaining("has 2 values but the grid has 1");
        assertThatThrownBy(() -> curve(100, new double[] {0.5}, new double[] {Double.NaN}))
                .hasMessageContaining("must be finite");
    }

    @Test
    void interpolation_isMonotoneEvenWhenMeasurementsAreNot() {
        // noise: 0.3 measures higher than the baseline and 0.5 higher than 0.4
        SensitivityCurve c = curve(1000, new double[] {0.3, 0.4, 0.5, 0.9}, new double[] {0.91, 0.85, 0.87, 0.50});
        double previous = Double.POSITIVE_INFINITY;
        for (int pruned = 0; pruned <= c.maxPrunedCount(); pruned += 7) {
            double m = c.metricAtCount(pruned);
            assertThat(m).isLessThanOrEqualTo(previous);
            assertThat(m).isLessThanOrEqualTo(c.baseline());
            previous = m;
        }
        assertThat(c.metricAtCount(300)).isEqualTo(0.90); // min(baseline, 0.91)
        assertThat(c.metricAtCount(500)).isEqualTo(0.85); // min(0.85, 0.87)
        assertThat(c.metricAtCount(700)).isCloseTo(0.85 + 0.5 * (0.50 - 0.85), within(1e-12));
        assertThat(c.dropAt(0.9)).isCloseTo(0.40, within(1e-12));
        assertThat(c.dropAt(0.0)).isZero();
    }

    @Test
    void interpolation_isLinearInPrunedCountBetweenGridPoints() {
        SensitivityCurve c = curve(200, new double[] {0.5}, new double[] {0.70});
        assertThat(c.metricAtCount(50)).isCloseTo(0.80, within(1e-12));
        assertThat(c.metricAt(0.25)).isCloseTo(0.80, within(1e-12));
    }

    @Test
    void predictionBeyondTheGrid_isRefused() {
        SensitivityCurve c = curve(100, new double[] {0.5, 0.9}, new double[] {0.8, 0.5});
        assertThat(c.maxPrunedCount()).isEqualTo(90);
        assertThatThrownBy(() -> c.metricAtCount(91)).hasMessageContaining("extend the grid");
        assertThatThrownBy(() -> c.metricAt(0.95)).hasMessageContaining("must be in [0, 0.9]");
    }

    @Test
    void gridPointsThatPruneTheSameCount_merge() {
        // n = 10: 0.95 and 0.98 both prune 9 (the last weight is always kept)
        SensitivityCurve c = curve(10, new double[] {0.9, 0.95, 0.98}, new double[] {0.6, 0.5, 0.4});
        assertThat(c.knotCounts()).containsExactly(0, 9);
        assertThat(c.metricAtCount(9)).isEqualTo(0.4);
    }

    @Test
    void arraysAreCopiedAndEqualityIsByValue() {
        double[] grid = {0.5};
        SensitivityCurve a = curve(10, grid, new double[] {0.8});
        grid[0] = 0.7;
        assertThat(a.sparsities()).containsExactly(0.5);
        assertThat(a).isEqualTo(curve(10, new double[] {0.5}, new double[] {0.8})).hasSameHashCodeAs(curve(10, new double[] {0.5}, new double[] {0.8}));
    }
}
