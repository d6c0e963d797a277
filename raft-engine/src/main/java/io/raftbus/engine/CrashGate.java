package io.raftbus.engine;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The crash point of a node ({@link RaftNode#crash()}): every effect the event loop has on the world (a message
 * sent, a log call, a state machine apply) passes through the gate, and once the gate is shut none passes. Shutting
 * waits for an effect under way to finish, so nothing is sent or written after {@link #shut()} returns.
 */
final class CrashGate {

    /** Thrown on the event-loop thread by an effect refused after the crash point; the loop then stops. */
    static final class Crashed extends RuntimeException {
        Crashed() {
            super("the node crashed (RaftNode.crash())", null, false, false);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean shut;

    /** The crash point: waits for an effect under way, then refuses every later one. */
    void shut() {
        lock.lock();
        try {
            shut = true;
        } finally {
            lock.unlock();
        }
    }

    boolean isShut() {
        return shut;
    }

    /** Runs {@code effect} unless the node crashed, in which case it throws {@link Crashed} without running it. */
    <T> T pass(Supplier<T> effect) {
        lock.lock();
        try {
            if (shut) {
                throw new Crashed();
            }
            return effect.get();
        } finally {
            lock.unlock();
        }
    }

    void pass(Runnable effect) {
        pass(() -> {
            effect.run();
            return null;
        });
    }
}
