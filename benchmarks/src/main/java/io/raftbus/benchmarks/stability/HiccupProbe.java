package io.raftbus.benchmarks.stability;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A daemon thread that asks to sleep 10 ms over and over and records by how much each wake-up came late: the
 * scheduling delay any thread of this JVM (a node's event loop, a Kafka client thread) suffers at that moment, from
 * CPU starvation or a GC pause.
 */
final class HiccupProbe implements AutoCloseable {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Samples lateMillis = new Samples();
    private final Thread thread;
    private volatile boolean running = true;

    HiccupProbe() {
        thread = new Thread(this::run, "stability-hiccup-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(PERIOD_NANOS);
            lateMillis.add(Math.max(0, System.nanoTime() - before - PERIOD_NANOS) / 1e6);
        }
    }

    Samples lateMillis() {
        return lateMillis;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
