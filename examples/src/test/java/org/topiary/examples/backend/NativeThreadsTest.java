package org.topiary.examples.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NativeThreadsTest {

    @Test
    void setOne_shrinksAllThreePools() {
        NativeThreads.Snapshot before = NativeThreads.current();
        try {
            NativeThreads.set(1);

            assertThat(NativeThreads.current()).isEqualTo(new NativeThreads.Snapshot(1, 1, 1));
        } finally {
            NativeThreads.set(before.effective());
        }
    }

    @Test
    void setTwo_growsOpenMpAndBlas_butLibnd4jNeverBeyondItsStartupSize() {
        NativeThreads.Snapshot before = NativeThreads.current();
        try {
            NativeThreads.set(2);

            NativeThreads.Snapshot now = NativeThreads.current();
            assertThat(now.openMp()).isEqualTo(2);
            assertThat(now.blas()).isEqualTo(2);
            assertThat(now.libnd4j()).isBetween(1, 2);
        } finally {
            NativeThreads.set(before.effective());
        }
    }

    @Test
    void set_rejectsNonPositiveCounts() {
        assertThatThrownBy(() -> NativeThreads.set(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1, found 0");
    }
}
