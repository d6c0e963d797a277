package io.raftbus.engine.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, for tests that run real threads. Polls the condition every millisecond or
 * so; fails with a message naming what was awaited when the deadline passes.
 */
public final class Await {

    /** A generous default deadline for conditions that normally hold within a second ({@link TestDeadlines}). */
    public static final Duration DEFAULT_TIMEOUT = TestDeadlines.seconds(30);

    private Await() {
    }

    /** Waits until {@code condition} holds, at most {@code timeout}. */
    public static void until(String what, BooleanSupplier condition, Duration timeout) {
        value(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null, timeout);
    }

    /** Waits until {@code condition} holds, at most {@link #DEFAULT_TIMEOUT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, DEFAULT_TIMEOUT);
    }

    /** Waits until {@code supplier} returns non-null, at most {@code timeout}, and returns that value. */
    public static <T> T value(String what, Supplier<T> supplier, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = supplier.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    /** Waits until {@code supplier} returns non-null, at most {@link #DEFAULT_TIMEOUT}. */
    public static <T> T value(String what, Supplier<T> supplier) {
        return value(what, supplier, DEFAULT_TIMEOUT);
    }

    /** The future's value, waiting at most {@code timeout}; its failure is rethrown as the cause of an error. */
    public static <T> T result(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("future not completed within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The future's failure, waiting at most {@code timeout}; an error if it completes normally or times out. */
    public static Throwable failure(CompletableFuture<?> future, Duration timeout) {
        try {
            Object value = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the future to fail, but it completed with " + value);
        } catch (TimeoutException e) {
            throw new AssertionError("future not completed within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
