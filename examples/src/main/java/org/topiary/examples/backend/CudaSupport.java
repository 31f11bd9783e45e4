package org.topiary.examples.backend;

import java.util.List;

/**
 * Decides whether the CUDA build of ND4J 1.0.0-M2.1 ({@code nd4j-cuda-11.6}) can run on a GPU of
 * a given compute capability.
 *
 * <p>That build ships machine code (SASS) for {@code sm_37, sm_50, sm_52, sm_60, sm_61, sm_70,
 * sm_75, sm_80, sm_86} and no PTX, so the driver cannot JIT-compile kernels for newer
 * architectures. A cubin runs on GPUs of the same major version and an equal or higher minor
 * version. Hence:
 *
 * <ul>
 *   <li>an exact match (e.g. 7.5 T4, 8.0 A100, 8.6 RTX 30) is {@link Status#SUPPORTED};
 *   <li>a higher minor of a shipped major (e.g. 8.9 RTX 40, 7.2 Xavier) can run the older SASS
 *       but nobody has tested it: {@link Status#UNTESTED};
 *   <li>anything else, in particular major &ge; 9 (Hopper H100/H200, Blackwell), is {@link
 *       Status#UNSUPPORTED}: kernels fail with "no kernel image is available for execution on the
 *       device".
 * </ul>
 *
 * <p>Source: static analysis of {@code libnd4jcuda.so} in {@code nd4j-cuda-11.6-1.0.0-M2.1}
 * (see {@code dl4j-m2.1-internals.md} §9.2).
 */
public final class CudaSupport {

    /** Architectures with SASS in ND4J 1.0.0-M2.1's CUDA build, as {@code major * 10 + minor}. */
    public static final List<Integer> SHIPPED_ARCHITECTURES =
            List.of(37, 50, 52, 60, 61, 70, 75, 80, 86);

    /** How to get back to a working setup; ends every {@link Status#UNSUPPORTED} message. */
    public static final String RUN_ON_CPU_HINT =
            "Run on the CPU instead: rebuild without -Pcuda"
                    + " (mvn -B -DskipTests package -pl examples -am) and start ./topiary again.";

    private CudaSupport() {}

    /** The three possible outcomes. */
    public enum Status {
        /** SASS for exactly this architecture is shipped. */
        SUPPORTED,
        /** Only SASS for a lower minor of the same major is shipped; expected to work, untested. */
        UNTESTED,
        /** No shipped SASS can run here; the backend must not be used. */
        UNSUPPORTED
    }

    /**
     * The outcome of {@link #check(int, int)}.
     *
     * @param status what to do
     * @param message a user-facing sentence (empty for {@link Status#SUPPORTED})
     */
    public record Decision(Status status, String message) {
        /** Validates the components. */
        public Decision {
            if (status == null || message == null) {
                throw new IllegalArgumentException("status and message must not be null");
            }
        }

        /** Whether the backend may be used (supported or untested). */
        public boolean usable() {
            return status != Status.UNSUPPORTED;
        }
    }

    /**
     * Decides whether a GPU with compute capability {@code major.minor} can run ND4J 1.0.0-M2.1's
     * CUDA kernels.
     *
     * @param major compute capability major version, {@code >= 1}
     * @param minor compute capability minor version, {@code >= 0}
     * @return the decision with a message that says what to do
     * @throws IllegalArgumentException if {@code major < 1} or {@code minor < 0}
     */
    public static Decision check(int major, int minor) {
        if (major < 1) {
            throw new IllegalArgumentException("major must be >= 1, found " + major);
        }
        if (minor < 0) {
            throw new IllegalArgumentException("minor must be >= 0, found " + minor);
        }
        String cc = major + "." + minor;
        int arch = major * 10 + minor;
        if (SHIPPED_ARCHITECTURES.contains(arch)) {
            return new Decision(Status.SUPPORTED, "");
        }
        if (major >= 9) {
            return new Decision(
                    Status.UNSUPPORTED,
                    "compute capability "
                            + cc
                            + " (Hopper H100/H200 or newer) is not supported by ND4J 1.0.0-M2.1:"
                            + " its CUDA build ships kernels only for sm_37 to sm_86 and no PTX,"
                            + " so no kernel can run on this GPU. "
                            + RUN_ON_CPU_HINT);
        }
        boolean sameMajorOlderMinor =
                SHIPPED_ARCHITECTURES.stream().anyMatch(a -> a / 10 == major && a % 10 < minor);
        if (sameMajorOlderMinor) {
            return new Decision(
                    Status.UNTESTED,
                    "compute capability "
                            + cc
                            + " has no kernels of its own in ND4J 1.0.0-M2.1; it should run the "
                            + "sm_"
                            + highestShippedMinor(major, minor)
                            + " kernels, but this is untested. If kernels fail, "
                            + Character.toLowerCase(RUN_ON_CPU_HINT.charAt(0))
                            + RUN_ON_CPU_HINT.substring(1));
        }
        return new Decision(
                Status.UNSUPPORTED,
                "compute capability "
                        + cc
                        + " is not supported by ND4J 1.0.0-M2.1: its CUDA build ships kernels"
                        + " only for sm_37 to sm_86 and no PTX. "
                        + RUN_ON_CPU_HINT);
    }

    private static int highestShippedMinor(int major, int minor) {
        return SHIPPED_ARCHITECTURES.stream()
                .filter(a -> a / 10 == major && a % 10 < minor)
                .max(Integer::compare)
                .orElseThrow();
    }
}
