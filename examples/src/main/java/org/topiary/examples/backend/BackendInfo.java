package org.topiary.examples.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ND4J backend in use, as reported by {@code Nd4j.getExecutioner().getEnvironmentInformation()}.
 *
 * @param name backend name as ND4J reports it: {@code "CPU"} or {@code "CUDA"}
 * @param blasVendor BLAS library, e.g. {@code "OPENBLAS"}, {@code "CUBLAS"} or {@code "unknown"}
 * @param threads the native thread pool sizes
 * @param gpus CUDA devices (empty on the CPU backend)
 */
public record BackendInfo(
        String name, String blasVendor, NativeThreads.Snapshot threads, List<GpuDevice> gpus) {

    /** Key of the backend name in ND4J's environment information. */
    static final String BACKEND_KEY = "backend";

    /** Key of the BLAS vendor. */
    static final String BLAS_VENDOR_KEY = "blas.vendor";

    /** Key of the per-device list on the CUDA backend. */
    static final String CUDA_DEVICES_KEY = "cuda.devicesInformation";

    /** Validates the components and copies the list. */
    public BackendInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(blasVendor, "blasVendor");
        Objects.requireNonNull(threads, "threads");
        gpus = List.copyOf(gpus);
    }

    /** Whether this is the CUDA backend. */
    public boolean isCuda() {
        return "CUDA".equalsIgnoreCase(name);
    }

    /**
     * Reads ND4J's environment information. Works for every backend; on CUDA the device list is
     * a {@code List<Map<String, Object>>} under {@code cuda.devicesInformation} with the keys
     * {@code cuda.deviceName}, {@code cuda.deviceMajor}, {@code cuda.deviceMinor} and {@code
     * cuda.totalMemory} (see {@code Nd4jEnvironment}).
     *
     * @param environment the properties from {@code getEnvironmentInformation()}
     * @param threads the native thread pool sizes
     * @return the backend description
     */
    public static BackendInfo fromEnvironment(
            Map<Object, Object> environment, NativeThreads.Snapshot threads) {
        String name = String.valueOf(environment.getOrDefault(BACKEND_KEY, "unknown"));
        String blas = String.valueOf(environment.getOrDefault(BLAS_VENDOR_KEY, "unknown"));
        List<GpuDevice> gpus = new ArrayList<>();
        if (environment.get(CUDA_DEVICES_KEY) instanceof List<?> devices) {
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i) instanceof Map<?, ?> device) {
                    gpus.add(
                            new GpuDevice(
                                    i,
                                    String.valueOf(device.get("cuda.deviceName")),
                                    intOf(device.get("cuda.deviceMajor")),
                                    intOf(device.get("cuda.deviceMinor")),
                                    Math.max(0, longOf(device.get("cuda.totalMemory")))));
                }
            }
        }
        return new BackendInfo(name, blas, threads, gpus);
    }

    /**
     * One line for logs and reports, e.g. {@code "CPU (OPENBLAS), 2 native threads"} or {@code
     * "CUDA (CUBLAS), GPU 0: NVIDIA A100 (compute capability 8.0, 40.0 GiB)"}.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(name).append(" (").append(blasVendor).append(")");
        sb.append(", ").append(threads.effective()).append(" native thread");
        if (threads.effective() != 1) {
            sb.append('s');
        }
        if (!threads.consistent()) {
            sb.append(" (libnd4j ")
                    .append(threads.libnd4j())
                    .append(", OpenMP ")
                    .append(threads.openMp())
                    .append(", BLAS ")
                    .append(threads.blas())
                    .append(')');
        }
        for (GpuDevice gpu : gpus) {
            sb.append(", GPU ")
                    .append(gpu.index())
                    .append(": ")
                    .append(gpu.name())
                    .append(" (compute capability ")
                    .append(gpu.computeCapability());
            if (gpu.totalMemoryBytes() > 0) {
                sb.append(String.format(", %.1f GiB", gpu.totalMemoryBytes() / (double) (1L << 30)));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static int intOf(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }

    private static long longOf(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
