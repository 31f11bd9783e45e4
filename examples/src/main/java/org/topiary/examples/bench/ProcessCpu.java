package org.topiary.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time of the whole JVM process (every thread, including native threads of ND4J and the
 * worker threads of a ParallelWrapper), for benchmarks whose work does not stay on the calling
 * thread. Includes whatever else the process does meanwhile (GC, JIT, prefetch threads).
 */
final class ProcessCpu {
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {}

    /**
     * CPU nanoseconds used by this process so far, or 0 if the JVM cannot measure it (then every
     * process CPU time a benchmark reports is 0, never a wrong number).
     */
    static long nanos() {
        if (OS instanceof com.sun.management.OperatingSystemMXBean sun) {
            long t = sun.getProcessCpuTime();
            return t < 0 ? 0L : t;
        }
        return 0L;
    }
}
