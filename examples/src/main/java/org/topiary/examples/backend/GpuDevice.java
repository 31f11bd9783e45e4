package org.topiary.examples.backend;

/**
 * One CUDA device as reported by ND4J.
 *
 * @param index device ordinal, {@code >= 0}
 * @param name device name, e.g. {@code "NVIDIA A100-SXM4-40GB"}
 * @param major compute capability major version
 * @param minor compute capability minor version
 * @param totalMemoryBytes device memory in bytes, {@code >= 0} ({@code 0} if unknown)
 */
public record GpuDevice(int index, String name, int major, int minor, long totalMemoryBytes) {

    /** Validates the components. */
    public GpuDevice {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, found " + index);
        }
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        if (totalMemoryBytes < 0) {
            throw new IllegalArgumentException(
                    "totalMemoryBytes must be >= 0, found " + totalMemoryBytes);
        }
    }

    /** The compute capability as {@code "major.minor"}, e.g. {@code "8.6"}. */
    public String computeCapability() {
        return major + "." + minor;
    }

    /** The {@link CudaSupport} decision for this device. */
    public CudaSupport.Decision support() {
        return CudaSupport.check(major, minor);
    }
}
