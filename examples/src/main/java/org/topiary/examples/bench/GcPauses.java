package org.topiary.examples.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Accumulated garbage-collection time of the JVM, for benchmarks that must tell a listener's own
 * cost from a collector pause that happened to fall inside it. With G1 (the default) this is the
 * stop-the-world pause time of young, mixed and full collections, in whole milliseconds.
 */
final class GcPauses {
    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    private GcPauses() {}

    /** Milliseconds of collection so far, summed over the collectors (those that report it). */
    static long millis() {
        long sum = 0;
        for (GarbageCollectorMXBean c : COLLECTORS) {
            sum += Math.max(0, c.getCollectionTime());
        }
        return sum;
    }
}
