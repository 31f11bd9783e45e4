package org.topiary.examples.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThreadCountTest {

    @Test
    void option_winsOverEnvironment() {
        assertThat(ThreadCount.resolve(2, "1")).isEqualTo(new ThreadCount(2, "--threads"));
    }

    @Test
    void environment_isUsedWithoutOption() {
        assertThat(ThreadCount.resolve(null, " 3 ")).isEqualTo(new ThreadCount(3, "OMP_NUM_THREADS"));
    }

    @Test
    void default_isUsedWithoutOptionOrEnvironment() {
        assertThat(ThreadCount.resolve(null, null))
                .isEqualTo(new ThreadCount(ThreadCount.DEFAULT, "default"));
        assertThat(ThreadCount.resolve(null, "")).isEqualTo(ThreadCount.resolve(null, null));
    }

    @Test
    void malformedEnvironment_isRejected_withAdvice() {
        assertThatThrownBy(() -> ThreadCount.resolve(null, "four"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "OMP_NUM_THREADS must be a positive integer, found 'four';"
                                + " unset it or pass --threads N");
        assertThatThrownBy(() -> ThreadCount.resolve(null, "0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonPositiveOption_isRejected() {
        assertThatThrownBy(() -> ThreadCount.resolve(0, null))
                .hasMessage("--threads must be >= 1, found 0");
    }
}
