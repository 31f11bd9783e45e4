package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateWindowTest {

    @Test
    void updatesEveryFrequencyStepsAndAlwaysAtEnd() {
        UpdateWindow w = new UpdateWindow(469, 3283, 100);
        List<Long> steps = new ArrayList<>();
        for (long t = 0; t < 4000; t++) {
            if (w.isUpdateStep(t)) {
                steps.add(t);
            }
        }
        assertThat(steps).startsWith(469L, 569L, 669L).endsWith(3169L, 3269L, 3283L);
        assertThat(steps).hasSize(30);
        assertThat(w.updateCount()).isEqualTo(30);
    }

    @Test
    void endOnTheGridIsNotCountedTwice() {
        UpdateWindow w = new UpdateWindow(0, 300, 100);
        assertThat(w.updateCount()).isEqualTo(4);
        assertThat(w.isUpdateStep(300)).isTrue();
        assertThat(w.isUpdateStep(301)).isFalse();
    }

    @Test
    void onceUpdatesExactlyAtItsStep() {
        UpdateWindow w = UpdateWindow.once(10);
        assertThat(w.isUpdateStep(9)).isFalse();
        assertThat(w.isUpdateStep(10)).isTrue();
        assertThat(w.isUpdateStep(11)).isFalse();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new UpdateWindow(10, 5, 1))
                .hasMessage("endStep (5) must be >= beginStep (10)");
        assertThatThrownBy(() -> new UpdateWindow(0, 5, 0)).hasMessage("frequency must be > 0, found 0");
        assertThatThrownBy(() -> new UpdateWindow(-1, 5, 1)).hasMessage("beginStep must be >= 0, found -1");
    }

    @Test
    void stepsConvertEpochsWithPartialLastBatch() {
        assertThat(Steps.perEpoch(60_000, 128)).isEqualTo(469);
        assertThat(Steps.atEndOfEpoch(7, 469)).isEqualTo(3283);
        assertThatThrownBy(() -> Steps.perEpoch(60_000, 0)).hasMessage("batchSize must be > 0, found 0");
    }
}
