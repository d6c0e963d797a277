package io.raftbus.engine.core;

import java.util.random.RandomGenerator;

/**
 * The randomized election timeout (Raft §5.2): a deadline drawn uniformly from [min, max) after each reset. The
 * injected generator is the only source of randomness, so a seeded run is reproducible.
 */
final class ElectionTimer {

    private final long minMs;
    private final long maxMs;
    private final RandomGenerator random;
    private long deadline;

    ElectionTimer(long minMs, long maxMs, RandomGenerator random) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** Starts a fresh timeout at {@code now}. */
    void reset(long now) {
        deadline = now + random.nextLong(minMs, maxMs);
    }

    /** Makes the timeout elapse at {@code time} (without drawing a random number). */
    void expireAt(long time) {
        deadline = time;
    }

    /** Whether the timeout has elapsed at {@code now}. */
    boolean expired(long now) {
        return now >= deadline;
    }

    long deadline() {
        return deadline;
    }
}
