package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ScheduleType;

class PiecewiseLinearScheduleTest {

    @Test
    void holdsTheEndValuesAndInterpolatesBetweenKnots() {
        PiecewiseLinearSchedule s =
                PiecewiseLinearSchedule.of(ScheduleType.ITERATION, new int[] {10, 20, 40}, new double[] {1, 3, 0});
        assertThat(s.valueAt(0, 9)).isEqualTo(1);
        assertThat(s.valueAt(10, 0)).isEqualTo(1);
        assertThat(s.valueAt(15, 0)).isEqualTo(2);
        assertThat(s.valueAt(20, 0)).isEqualTo(3);
        assertThat(s.valueAt(30, 0)).isCloseTo(1.5, within(1e-15));
        assertThat(s.valueAt(40, 0)).isEqualTo(0);
        assertThat(s.valueAt(1_000_000, 0)).isEqualTo(0);
    }

    @Test
    void epochSchedulesReadTheEpoch() {
        PiecewiseLinearSchedule s = PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 1e-3, 1, 3);
        assertThat(s.valueAt(5000, 0)).isEqualTo(0);
        assertThat(s.valueAt(0, 2)).isCloseTo(5e-4, within(1e-18));
        assertThat(s.valueAt(0, 3)).isEqualTo(1e-3);
    }

    @Test
    void aRepeatedStepIsAJumpWhoseSecondValueHoldsAtTheStep() {
        // L1 for the first 469 updates (iterations 0..468), off from iteration 469.
        PiecewiseLinearSchedule s = PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, 1e-4, 0, 0, 469, 469);
        assertThat(s.valueAt(0, 0)).isEqualTo(1e-4);
        assertThat(s.valueAt(468, 0)).isEqualTo(1e-4);
        assertThat(s.valueAt(469, 0)).isEqualTo(0);
    }

    @Test
    void trapezoidRampsHoldsAndDecays() {
        PiecewiseLinearSchedule s = PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, 2, 10, 20, 30, 50);
        assertThat(new double[] {s.valueAt(5, 0), s.valueAt(15, 0), s.valueAt(25, 0), s.valueAt(40, 0), s.valueAt(60, 0)})
                .containsExactly(0, 1, 2, 1, 0);
    }

    @Test
    void equalKnotsAreEqualAndCloneIsTheSameImmutableValue() {
        PiecewiseLinearSchedule a = PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 1, 1, 3);
        assertThat(a).isEqualTo(PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 1, 1, 3))
                .hasSameHashCodeAs(PiecewiseLinearSchedule.ramp(ScheduleType.EPOCH, 0, 1, 1, 3))
                .isNotEqualTo(PiecewiseLinearSchedule.ramp(ScheduleType.ITERATION, 0, 1, 1, 3));
        assertThat(a.clone()).isEqualTo(a);
        int[] steps = a.steps();
        steps[0] = 99;
        assertThat(a.steps()).containsExactly(1, 3);
    }
}
