package io.raftbus.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The future of a submit or a read, whose caller blocked in {@link #get()}, {@link #get(long, TimeUnit)} or
 * {@link #join()} the event loop can wake with the outcome directly, saving the callback thread's hop. The first
 * caller to block registers itself as the future's waiter (others wait the plain {@link CompletableFuture} way); the
 * loop, once it knows the outcome, {@linkplain #handToWaiter hands it} to that waiter and unparks it, and <b>the
 * waiter's own thread completes the future</b>: dependent stages (however registered: {@code thenApply},
 * {@code allOf}, {@code copy()}…) run on that caller's thread, as {@link java.util.concurrent.CompletionStage}
 * allows, and {@link #isDone()} is true when the wait returns. The loop never completes a future it handed to a
 * waiter. Without a waiter (or if the waiter gave up first) the loop hands the outcome to the callback thread as
 * before (or, with {@link RaftConfig#completeOnEventLoop()}, completes the future itself); whoever completes first
 * wins and the outcome is counted once ({@link OutcomeCountingFuture}).
 *
 * <p>{@code get}, {@code join} and {@code get(timeout)} on a future not yet done throw {@link IllegalStateException}
 * where the wait could never end: on this future's own node's callback thread ({@link SelfWaitGuard}: only that
 * thread, or the loop while it is idle, delivers the outcome), and, with {@link RaftConfig#completeOnEventLoop()}, on
 * an event loop running dependents ({@link DependentsOnLoop}: the loop would wait for itself). A timed {@code get}
 * throws too rather than time out. Both guards see only this future: a blocking wait there on a future derived from
 * it ({@code thenApply(..).join()}, {@code allOf}, {@code copy()}) is not caught and still hangs.
 *
 * <p>Interruption and timeouts behave as {@link CompletableFuture}'s: a waiter that gives up (interrupted in
 * {@code get}, or timed out) withdraws, unless the loop handed it the outcome already, in which case it completes
 * the future before it returns or throws, so a handed outcome is never dropped. Any completion by another thread
 * (the callback thread, a caller's {@code complete}, {@code cancel}, {@code orTimeout}…) wakes the waiter.
 */
class BlockedCallerFuture extends OutcomeCountingFuture {

    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(BlockedCallerFuture.class, "waiter", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #waiter}'s value once the loop handed the outcome over: the waiter must complete the future. */
    private static final Object HANDED = new Object();

    private static final int DONE = 0;
    private static final int INTERRUPTED = 1;
    private static final int TIMED_OUT = 2;

    /** Null (no waiter), the waiting {@link Thread}, or {@link #HANDED}. */
    @SuppressWarnings("unused") // through WAITER
    private volatile Object waiter;
    /** The outcome the loop handed over: a result ({@code byte[]} or null) or a {@link Throwable}. */
    private Object handed;

    /** @param countOutcome as for {@link OutcomeCountingFuture} */
    BlockedCallerFuture(Consumer<Throwable> countOutcome) {
        super(countOutcome);
    }

    /** Whether a caller is blocked waiting on this future (the loop's cue to {@link #handToWaiter} it). */
    final boolean hasWaiter() {
        return waiter instanceof Thread;
    }

    /**
     * The loop's side: hands {@code outcome} (a {@code byte[]} result, null, or a {@link Throwable}) to the blocked
     * waiter and unparks it, which then completes this future. False (nothing done) if no caller waits any more:
     * the outcome must then reach the future another way (the callback thread). Called once per future, by the loop.
     */
    final boolean handToWaiter(Object outcome) {
        Object current = waiter;
        if (!(current instanceof Thread thread)) {
            return false;
        }
        handed = outcome; // published to the waiter by the CAS below
        if (!WAITER.compareAndSet(this, current, HANDED)) {
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    @Override
    public final byte[] join() {
        if (!isDone() && mayBlock() && register()) {
            await(false, false, 0L);
        }
        return super.join();
    }

    @Override
    public final byte[] get() throws InterruptedException, ExecutionException {
        if (!isDone() && mayBlock() && register() && await(true, false, 0L) == INTERRUPTED) {
            throw new InterruptedException();
        }
        return super.get();
    }

    @Override
    public final byte[] get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        if (nanos > 0 && !isDone() && mayBlock() && register()) {
            int outcome = await(true, true, System.nanoTime() + nanos);
            if (outcome == INTERRUPTED) {
                throw new InterruptedException();
            }
            if (outcome == TIMED_OUT) {
                throw new TimeoutException();
            }
            return super.get(); // done: returns at once
        }
        return super.get(timeout, unit);
    }

    @Override
    public final boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        afterCompletion();
        return cancelled;
    }

    @Override
    public final void obtrudeValue(byte[] value) {
        super.obtrudeValue(value);
        afterCompletion();
    }

    @Override
    public final void obtrudeException(Throwable error) {
        super.obtrudeException(error);
        afterCompletion();
    }

    /** As {@link CompletableFuture#completeAsync(Supplier, Executor)}, completing through {@link #complete}. */
    @Override
    public final CompletableFuture<byte[]> completeAsync(Supplier<? extends byte[]> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            if (isDone()) {
                return;
            }
            try {
                complete(supplier.get());
            } catch (Throwable e) {
                completeExceptionally(e instanceof CompletionException ? e : new CompletionException(e));
            }
        });
        return this;
    }

    /** Wakes the waiter, if any, after another thread completed this future. */
    @Override
    final void afterCompletion() {
        if (waiter instanceof Thread thread) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * True, unless waiting here could never end, and then it throws {@link IllegalStateException}: on an event loop
     * running the dependents of the futures it completes ({@link RaftConfig#completeOnEventLoop()}: waiting there
     * would stall that node, and for good if this future is the node's own, as a {@code submit(..).join()} inside a
     * {@code whenComplete} would), or on this future's own node's callback thread ({@link SelfWaitGuard}). Called
     * only when this future is not done yet.
     */
    private boolean mayBlock() {
        if (DependentsOnLoop.isRunningOnThisThread()) {
            throw new IllegalStateException("blocking (get/join) on a raftbus submit or read future from a node's event"
                    + " loop thread, inside a dependent stage run there because RaftConfig.completeOnEventLoop is on:"
                    + " the loop would wait for itself; chain the stage (thenCompose, whenComplete) instead of"
                    + " blocking, or turn completeOnEventLoop off");
        }
        SelfWaitGuard.check(onOwnCallbackThread());
        return true;
    }

    /**
     * Makes the calling thread the waiter; false if another thread is (or the outcome was handed over already), or if
     * it is a {@link ForkJoinWorkerThread}: {@link CompletableFuture}'s own wait tells its pool it blocks (managed
     * blocking, so the pool can add a thread), which this one does not.
     */
    private boolean register() {
        Thread self = Thread.currentThread();
        return waiter == null && !(self instanceof ForkJoinWorkerThread) && WAITER.compareAndSet(this, null, self);
    }

    /**
     * Waits, as the registered waiter, until this future is done ({@link #DONE}: completed from a handed outcome, or
     * by another thread), or, if {@code interruptible}, the thread is interrupted ({@link #INTERRUPTED}, the flag
     * cleared), or, if {@code timed}, {@code deadline} passes ({@link #TIMED_OUT}). The order of the checks is
     * {@link CompletableFuture}'s: an untimed wait looks at the outcome before the interrupt, a timed one after.
     * Not interruptible, an interrupt is kept and set again on return.
     */
    private int await(boolean interruptible, boolean timed, long deadline) {
        Thread self = Thread.currentThread();
        boolean interrupted = false;
        try {
            while (true) {
                if (timed && Thread.interrupted()) {
                    withdraw(self);
                    return INTERRUPTED;
                }
                if (waiter == HANDED) {
                    completeFromHanded();
                    return DONE;
                }
                if (isDone()) {
                    withdraw(self);
                    return DONE;
                }
                if (!timed && Thread.interrupted()) {
                    if (interruptible) {
                        withdraw(self);
                        return INTERRUPTED;
                    }
                    interrupted = true;
                    continue;
                }
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return withdraw(self) ? DONE : TIMED_OUT; // an outcome handed at the deadline is returned
                    }
                    LockSupport.parkNanos(this, left);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            if (interrupted) {
                self.interrupt();
            }
        }
    }

    /**
     * Stops being the waiter; if the loop handed the outcome over first, completes the future with it (a no-op if
     * another completion came first), so it is never dropped, and returns true.
     */
    private boolean withdraw(Thread self) {
        if (WAITER.compareAndSet(this, self, null) || waiter != HANDED) {
            return false;
        }
        completeFromHanded();
        return true;
    }

    private void completeFromHanded() {
        Object outcome = handed;
        if (outcome instanceof Throwable error) {
            completeExceptionally(error);
        } else {
            complete((byte[]) outcome);
        }
    }
}
