package io.raftbus.engine;

import io.raftbus.engine.spi.LogAPI;

/**
 * Benchmark-only access to the runtime's package-private {@link CrashGate} and {@link LogFailureWatch} (this class
 * shares their package, in the benchmarks jar): the node's log as the core calls it, behind the node's crash gate,
 * and the event loop's window around an iteration's effects.
 */
public final class CrashGateBridge {

    private final CrashGate gate = new CrashGate();
    private final LogFailureWatch log;

    /** {@code log} behind a new crash gate. */
    public CrashGateBridge(LogAPI log) {
        this.log = new LogFailureWatch(log, gate);
    }

    /** The log as the core sees it: every call passes the gate. */
    public LogAPI log() {
        return log;
    }

    /** Holds the gate open for this thread's calls, as the event loop does for one iteration. */
    public void openWindow() {
        if (!gate.open()) {
            throw new IllegalStateException("the gate is shut");
        }
    }

    /** Ends {@link #openWindow()}. */
    public void closeWindow() {
        gate.close();
    }
}
