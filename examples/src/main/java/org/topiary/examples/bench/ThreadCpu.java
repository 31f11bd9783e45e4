package org.topiary.examples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time of the current thread, for benchmarks on a shared machine. */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /**
     * CPU nanoseconds used by the current thread so far, or 0 if the JVM cannot measure it (then
     * every CPU time a benchmark reports is 0, never a wrong number).
     */
    static long nanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0L;
    }
}
