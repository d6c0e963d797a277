package io.raftbus.engine.session;

import io.raftbus.engine.core.CommandStamper;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Stamps each session command a leader appends with the leader's clock, its log time ({@link SessionEnvelope#stamp}).
 * The runtime uses the wall clock in ms (comparable across leaders, unlike each node's monotonic clock); the
 * simulation its virtual time. A leader whose clock is behind an earlier leader's cannot move log time back:
 * the {@link SessionTable} keeps the highest stamp seen. Bytes that are no session command are appended as they are.
 */
public final class LogTimeStamper implements CommandStamper {

    private final LongSupplier clockMs;

    public LogTimeStamper(LongSupplier clockMs) {
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    }

    @Override
    public byte[] stamp(byte[] command) {
        return SessionEnvelope.stamp(command, clockMs.getAsLong());
    }
}
