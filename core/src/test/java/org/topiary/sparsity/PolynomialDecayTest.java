package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PolynomialDecayTest {

    @Test
    void followsZhuGuptaCubicFormulaBetweenBeginAndEnd() {
        // Expected values computed by hand from s_t = s_f + (s_i - s_f)(1 - (t - t0)/(t1 - t0))^3
        // with s_i = 0, s_f = 0.9, t0 = 469, t1 = 3283 (the FMNIST-GMP protocol).
        SparsitySchedule s = SparsitySchedule.polynomial(0.0, 0.9, 469, 3283);
        assertThat(s.sparsityAt(469)).isEqualTo(0.0);
        // t = 1876 is halfway: 0.9 - 0.9 * 0.5^3 = 0.7875
        assertThat(s.sparsityAt(1876)).isCloseTo(0.7875, within(1e-12));
        // t = 569: progress 100/2814; 0.9 * (1 - (1 - 100/2814)^3)
        double p = 100.0 / 2814.0;
        assertThat(s.sparsityAt(569)).isCloseTo(0.9 * (1 - Math.pow(1 - p, 3)), within(1e-12));
        assertThat(s.sparsityAt(3283)).isEqualTo(0.9);
    }

    @Test
    void rejectsBadArgumentsNamingTheField() {
        assertThatThrownBy(() -> SparsitySchedule.polynomial(0.0, Double.NaN, 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("finalSparsity must be in [0, 1), found NaN");
        assertThatThrownBy(() -> SparsitySchedule.polynomial(0.0, 1.0, 0, 10))
                .hasMessage("finalSparsity must be in [0, 1), found 1");
        assertThatThrownBy(() -> SparsitySchedule.polynomial(-0.1, 0.5, 0, 10))
                .hasMessage("initialSparsity must be in [0, 1), found -0.1");
        assertThatThrownBy(() -> SparsitySchedule.polynomial(0.0, 0.5, 10, 10))
                .hasMessage("endStep (10) must be > beginStep (10)");
        assertThatThrownBy(() -> SparsitySchedule.polynomial(0.0, 0.5, -1, 10))
                .hasMessage("beginStep must be >= 0, found -1");
        assertThatThrownBy(() -> SparsitySchedule.polynomial(0.6, 0.5, 0, 10))
                .hasMessageContaining("finalSparsity (0.5) must be >= initialSparsity (0.6)");
        assertThatThrownBy(() -> SparsitySchedule.polynomial(0.0, 0.5, 0, 10, 0.5))
                .hasMessageContaining("power must be a finite number >= 1, found 0.5");
        assertThatThrownBy(() -> SparsitySchedule.constant(1.5))
                .hasMessage("sparsity must be in [0, 1), found 1.5");
        assertThatThrownBy(() -> SparsitySchedule.oneShot(0.5, -3))
                .hasMessage("step must be >= 0, found -3");
    }
}
