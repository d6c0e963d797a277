package io.raftbus.it.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling briefly; never a fixed sleep. */
public final class Await {

    private static final long POLL_NANOS = 5_000_000L;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds; fails with an {@link AssertionError} naming {@code what} (and
     * the latest {@code state}) when {@code timeout} passes first.
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (state == null ? "" : "; state: " + state.get()));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** {@link #until(String, Duration, BooleanSupplier, Supplier)} without a state description. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, null);
    }
}
