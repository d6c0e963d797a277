package io.raftbus.engine.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a client's session alive while the client is idle: once nothing was sent in the session for a third of the
 * cluster's session idle timeout, it sends a keep-alive (one at a time). It checks every sixth of the timeout, so the
 * session is idle at most about half its timeout before a keep-alive goes out, leaving the other half for the
 * keep-alive to be appended. Stops at {@link #stop()} or when a keep-alive finds the session expired.
 *
 * <p>Idleness is measured on the client's own clock; expiry is judged in the cluster's log time (the leaders' wall
 * clocks), so the margin also absorbs a leader whose clock runs ahead. Thread-safe.
 */
final class IdleKeepAlive {

    private final long idleNanos;
    private final Supplier<CompletableFuture<Void>> keepAlive;
    private final ScheduledFuture<?> checks;
    private volatile long lastSent = System.nanoTime();
    private volatile boolean inFlight;
    private volatile boolean stopped;

    private IdleKeepAlive(ScheduledExecutorService timer, long sessionIdleTimeoutMs,
                          Supplier<CompletableFuture<Void>> keepAlive) {
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, sessionIdleTimeoutMs / 3));
        this.keepAlive = keepAlive;
        long everyNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), idleNanos / 2);
        this.checks = timer.scheduleWithFixedDelay(this::check, everyNanos, everyNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts checking on {@code timer}.
     *
     * @param sessionIdleTimeoutMs the cluster's session idle timeout ({@code RaftNode.Builder.sessions}), >= 1
     * @param keepAlive sends one keep-alive; fails with {@link SessionExpiredException} once the session is gone
     */
    static IdleKeepAlive start(ScheduledExecutorService timer, long sessionIdleTimeoutMs,
                               Supplier<CompletableFuture<Void>> keepAlive) {
        if (sessionIdleTimeoutMs < 1) {
            throw new IllegalArgumentException("sessionIdleTimeoutMs must be >= 1, was " + sessionIdleTimeoutMs);
        }
        return new IdleKeepAlive(timer, sessionIdleTimeoutMs, keepAlive);
    }

    /** The client sent something in the session (a command or a keep-alive of its own). */
    void sent() {
        lastSent = System.nanoTime();
    }

    /** Sends no more keep-alives. */
    void stop() {
        stopped = true;
        checks.cancel(false);
    }

    /** Whether keep-alives have stopped ({@link #stop()}, or the session expired). */
    boolean stopped() {
        return stopped;
    }

    private void check() {
        if (stopped || inFlight || System.nanoTime() - lastSent < idleNanos) {
            return;
        }
        inFlight = true;
        sent();
        CompletableFuture<Void> sending;
        try {
            sending = keepAlive.get();
        } catch (RuntimeException e) {
            inFlight = false; // the client is closing, for example: the next check tries again unless stopped
            return;
        }
        sending.whenComplete((ok, failure) -> {
            inFlight = false;
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : failure;
            if (cause instanceof SessionExpiredException) {
                stop(); // the session is gone: keeping it alive is no longer possible
            }
            // any other failure (no answer in time, ...): the next check sends another one
        });
    }
}
