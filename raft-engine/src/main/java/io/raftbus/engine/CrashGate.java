package io.raftbus.engine;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The crash point of a node ({@link RaftNode#crash()}): every effect the node has on the world (a message sent, a log
 * call, a state machine apply, a snapshot started or committed) passes through the gate, and once the gate is shut
 * none passes. Shutting waits for an effect under way to finish, so nothing is sent or written after {@link #shut()}
 * returns.
 *
 * <p>An effect passes in one of two ways. A thread may hold the gate open across many effects ({@link #open()} …
 * {@link #close()}): the event loop does, once per iteration, so its sends, log calls and applies each cost one read
 * of the shut flag instead of a lock and a lambda each. Any other effect takes the gate for itself
 * ({@link #enter()}/{@link #leave(boolean)}, or {@link #pass(Supplier)}). Shutting waits for a window held open to
 * close like for a single effect; the lock is fair, so neither {@link #shut()} nor the snapshot thread waits behind
 * the loop's next windows. The holder itself may shut the gate (a state machine calling {@code crash()} from an
 * apply): the effects left in its window are then refused.
 */
final class CrashGate {

    /** Thrown by an effect refused after the crash point; on the event loop's thread the loop then stops. */
    static final class Crashed extends RuntimeException {
        Crashed() {
            super("the node crashed (RaftNode.crash())", null, false, false);
        }
    }

    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean shut;

    /** The crash point: waits for an effect (or an open window) under way, then refuses every later one. */
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

    /**
     * Holds the gate open for the calling thread's effects until {@link #close()}; false (not opened, nothing to close)
     * if the node crashed. Must not be held while waiting for anything another thread may only do after a crash.
     */
    boolean open() {
        lock.lock();
        if (shut) {
            lock.unlock();
            return false;
        }
        return true;
    }

    /** Ends the window {@link #open()} started. */
    void close() {
        lock.unlock();
    }

    /**
     * Lets one effect through, or throws {@link Crashed} if the gate is shut. Returns whether this call took the gate,
     * to be handed to {@link #leave(boolean)} once the effect is done: false when the calling thread already holds it
     * (a window, or an enclosing effect), in which case nothing was locked.
     */
    boolean enter() {
        if (lock.isHeldByCurrentThread()) {
            if (shut) {
                throw new Crashed();
            }
            return false;
        }
        lock.lock();
        if (shut) {
            lock.unlock();
            throw new Crashed();
        }
        return true;
    }

    /** Ends an effect {@link #enter()} let through; {@code entered} is what it returned. */
    void leave(boolean entered) {
        if (entered) {
            lock.unlock();
        }
    }

    /** Runs {@code effect} unless the node crashed, in which case it throws {@link Crashed} without running it. */
    <T> T pass(Supplier<T> effect) {
        boolean entered = enter();
        try {
            return effect.get();
        } finally {
            leave(entered);
        }
    }

    void pass(Runnable effect) {
        boolean entered = enter();
        try {
            effect.run();
        } finally {
            leave(entered);
        }
    }
}
