package org.topiary.examples.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CudaSupportTest {

    @ParameterizedTest(name = "sm_{0}{1} is supported")
    @CsvSource({"3,7", "5,0", "5,2", "6,0", "6,1", "7,0", "7,5", "8,0", "8,6"})
    void shippedArchitectures_areSupported(int major, int minor) {
        CudaSupport.Decision d = CudaSupport.check(major, minor);

        assertThat(d.status()).isEqualTo(CudaSupport.Status.SUPPORTED);
        assertThat(d.usable()).isTrue();
        assertThat(d.message()).isEmpty();
    }

    @ParameterizedTest(name = "sm_{0}{1} runs older same-major kernels, untested")
    @CsvSource({"8,9,86", "8,7,86", "7,2,70", "6,2,61", "5,3,52"})
    void higherMinorOfShippedMajor_isUsableButUntested(int major, int minor, int runs) {
        CudaSupport.Decision d = CudaSupport.check(major, minor);

        assertThat(d.status()).isEqualTo(CudaSupport.Status.UNTESTED);
        assertThat(d.usable()).isTrue();
        assertThat(d.message()).contains("sm_" + runs).contains("untested");
    }

    @ParameterizedTest(name = "compute capability {0}.{1} is refused")
    @CsvSource({"9,0", "10,0", "12,0"})
    void hopperAndNewer_areUnsupported_withCpuAdvice(int major, int minor) {
        CudaSupport.Decision d = CudaSupport.check(major, minor);

        assertThat(d.status()).isEqualTo(CudaSupport.Status.UNSUPPORTED);
        assertThat(d.usable()).isFalse();
        assertThat(d.message())
                .contains(major + "." + minor)
                .contains("Hopper")
                .contains("sm_37 to sm_86")
                .contains("no PTX")
                .endsWith(CudaSupport.RUN_ON_CPU_HINT);
        assertThat(CudaSupport.RUN_ON_CPU_HINT).contains("without -Pcuda");
    }

    @ParameterizedTest(name = "compute capability {0}.{1} is too old")
    @CsvSource({"3,0", "3,5", "2,1", "1,0"})
    void olderThanSm37_isUnsupported(int major, int minor) {
        CudaSupport.Decision d = CudaSupport.check(major, minor);

        assertThat(d.status()).isEqualTo(CudaSupport.Status.UNSUPPORTED);
        assertThat(d.message()).endsWith(CudaSupport.RUN_ON_CPU_HINT);
    }

    @Test
    void invalidComputeCapability_isRejected_namingTheField() {
        assertThatThrownBy(() -> CudaSupport.check(0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("major must be >= 1, found 0");
        assertThatThrownBy(() -> CudaSupport.check(8, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minor must be >= 0, found -1");
    }
}
