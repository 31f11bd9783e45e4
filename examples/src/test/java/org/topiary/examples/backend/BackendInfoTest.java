package org.topiary.examples.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendInfoTest {

    private static final NativeThreads.Snapshot TWO = new NativeThreads.Snapshot(2, 2, 2);

    @Test
    void cpuEnvironment_hasNoGpus() {
        Map<Object, Object> env = new HashMap<>();
        env.put("backend", "CPU");
        env.put("blas.vendor", "OPENBLAS");

        BackendInfo info = BackendInfo.fromEnvironment(env, TWO);

        assertThat(info.isCuda()).isFalse();
        assertThat(info.gpus()).isEmpty();
        assertThat(info.describe()).isEqualTo("CPU (OPENBLAS), 2 native threads");
    }

    @Test
    void cudaEnvironment_listsDevicesWithComputeCapability() {
        // Same layout as CudaExecutioner.getEnvironmentInformation(): numbers are longs.
        Map<Object, Object> env = new HashMap<>();
        env.put("backend", "CUDA");
        env.put("blas.vendor", "CUBLAS");
        env.put(
                "cuda.devicesInformation",
                List.of(
                        Map.of(
                                "cuda.deviceName", "NVIDIA H200",
                                "cuda.deviceMajor", 9L,
                                "cuda.deviceMinor", 0L,
                                "cuda.totalMemory", 150L << 30,
                                "cuda.freeMemory", 149L << 30)));

        BackendInfo info = BackendInfo.fromEnvironment(env, TWO);

        assertThat(info.isCuda()).isTrue();
        assertThat(info.gpus())
                .containsExactly(new GpuDevice(0, "NVIDIA H200", 9, 0, 150L << 30));
        assertThat(info.gpus().get(0).support().usable()).isFalse();
        assertThat(info.describe())
                .isEqualTo(
                        "CUDA (CUBLAS), 2 native threads,"
                                + " GPU 0: NVIDIA H200 (compute capability 9.0, 150.0 GiB)");
    }

    @Test
    void unequalThreadPools_areShownSeparately() {
        Map<Object, Object> env = Map.of("backend", "CPU", "blas.vendor", "OPENBLAS");

        BackendInfo info =
                BackendInfo.fromEnvironment(env, new NativeThreads.Snapshot(1, 1, 2));

        assertThat(info.describe()).contains("(libnd4j 1, OpenMP 1, BLAS 2)");
    }
}
