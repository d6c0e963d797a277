package io.raftbus.benchmarks.versus;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Reads the JVM's resource counters: process CPU time (every thread, the JVM's own GC and JIT threads included),
 * CPU time of the live Java threads, bytes allocated on the heap by all threads since start, and heap retained after
 * a full GC. Only one cluster runs at a time, so a difference between two {@link Usage}s is that cluster's cost plus
 * the load driver's.
 */
final class ResourceMeter {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    ResourceMeter() {
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        if (!threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
    }

    /** The counters now. */
    Usage read() {
        long javaThreadsCpu = 0;
        for (long cpu : threads.getThreadCpuTime(threads.getAllThreadIds())) {
            if (cpu > 0) {
                javaThreadsCpu += cpu;
            }
        }
        return new Usage(System.nanoTime(), os.getProcessCpuTime(), javaThreadsCpu,
                threads.getTotalThreadAllocatedBytes());
    }

    /** Heap in use after two full collections, in bytes. */
    long heapAfterGc() {
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * Counter values at one instant.
     *
     * @param wallNanos {@link System#nanoTime()}
     * @param processCpuNanos CPU time of the whole process
     * @param javaThreadsCpuNanos CPU time of the Java threads alive now (not the JVM's GC and compiler threads)
     * @param allocatedBytes heap bytes allocated by all threads since the JVM started, dead threads included
     */
    record Usage(long wallNanos, long processCpuNanos, long javaThreadsCpuNanos, long allocatedBytes) {

        /** What was used from {@code earlier} to this instant. */
        Usage minus(Usage earlier) {
            return new Usage(wallNanos - earlier.wallNanos, processCpuNanos - earlier.processCpuNanos,
                    javaThreadsCpuNanos - earlier.javaThreadsCpuNanos, allocatedBytes - earlier.allocatedBytes);
        }
    }
}
