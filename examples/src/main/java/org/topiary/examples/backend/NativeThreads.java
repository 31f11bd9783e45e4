package org.topiary.examples.backend;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets and reads the number of native threads ND4J uses.
 *
 * <p>ND4J 1.0.0-M2.1 has three independent pools, each sized from {@code OMP_NUM_THREADS} (or the
 * core count) when the backend initialises:
 *
 * <ul>
 *   <li>libnd4j's own loops (element-wise ops, reductions): {@code
 *       Nd4j.getEnvironment().setMaxMasterThreads}. (Its pool size, {@code maxThreads}, is fixed
 *       when the backend starts: {@code setMaxThreads} has no effect in M2.1, measured.)
 *   <li>the OpenMP runtime used by libnd4j: {@code NativeOps.setOmpNumThreads};
 *   <li>the BLAS library (OpenBLAS on the CPU; matrix multiplies): {@code
 *       Nd4j.factory().blas().setMaxThreads}.
 * </ul>
 *
 * {@link #set(int)} changes all three at run time. Measured on the reference machine (ratio of
 * process CPU time to wall time during gemm and tanh loops): with all three at 1 the ratio drops
 * from about 1.9 to 1.0; setting only the first two leaves gemm at 1.9, setting only BLAS leaves
 * the element-wise ops at 1.5.
 *
 * <p>libnd4j's threads can only go down from the pool size it started with: asking for more is
 * capped (started with {@code OMP_NUM_THREADS=1}, {@code set(2)} gives BLAS 2 threads but
 * element-wise ops stay on 1). The {@code ./topiary} launcher therefore exports {@code OMP_NUM_THREADS} from {@code
 * --threads} before the JVM starts; {@link #current()} shows what took effect.
 */
public final class NativeThreads {

    private NativeThreads() {}

    /**
     * The three thread counts as ND4J reports them.
     *
     * @param libnd4j threads libnd4j's loops use ({@code maxMasterThreads})
     * @param openMp the OpenMP runtime's maximum threads
     * @param blas the BLAS library's maximum threads
     */
    public record Snapshot(int libnd4j, int openMp, int blas) {
        /** The count if all three agree, otherwise the largest. */
        public int effective() {
            return Math.max(libnd4j, Math.max(openMp, blas));
        }

        /** Whether all three pools have the same size. */
        public boolean consistent() {
            return libnd4j == openMp && openMp == blas;
        }
    }

    /**
     * Sets all native thread pools of the current ND4J backend to {@code threads}. Initialises the
     * backend if needed.
     *
     * @param threads number of threads, {@code >= 1}
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        int libnd4j = Math.min(threads, Nd4j.getEnvironment().maxThreads());
        Nd4j.getEnvironment().setMaxMasterThreads(libnd4j);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** Reads the current sizes of the three pools. Initialises the backend if needed. */
    public static Snapshot current() {
        return new Snapshot(
                Nd4j.getEnvironment().maxMasterThreads(),
                NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                Nd4j.factory().blas().getMaxThreads());
    }
}
