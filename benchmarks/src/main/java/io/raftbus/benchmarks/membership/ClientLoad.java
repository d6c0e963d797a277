package io.raftbus.benchmarks.membership;

import io.raftbus.benchmarks.snapshot.SlotStateMachine;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RetriableCommandException;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A steady open-loop client load during a join: a fixed number of 100-byte commands per second (each overwriting a
 * pseudo-random slot of the {@link SlotStateMachine}, so the state keeps its size), submitted to the leader of the
 * moment whatever happened to the previous ones. Counts outcomes by meaning: completed, certainly not applied
 * ({@link RetriableCommandException}), outcome unknown ({@link CommandOutcomeUnknownException}).
 */
final class ClientLoad implements AutoCloseable {

    static final int COMMAND_BYTES = 100;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "membership-bench-load");
        t.setDaemon(true);
        return t;
    });
    private final Supplier<RaftNode> leader;
    private final int slots;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong notApplied = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    ClientLoad(Supplier<RaftNode> leader, int slots, double commandsPerSecond) {
        this.leader = leader;
        this.slots = slots;
        timer.scheduleAtFixedRate(this::submitOne, 0, (long) (1e9 / commandsPerSecond), TimeUnit.NANOSECONDS);
    }

    private void submitOne() {
        long sequence = submitted.incrementAndGet();
        long slot = Math.floorMod(sequence * 0x9E3779B97F4A7C15L, (long) slots);
        CompletableFuture<byte[]> future;
        try {
            future = leader.get().submit(SlotStateMachine.command(slot, COMMAND_BYTES, sequence));
        } catch (RuntimeException e) {
            notApplied.incrementAndGet(); // submit throws only before anything was proposed
            return;
        }
        pending.add(future);
        future.whenComplete((result, error) -> {
            pending.remove(future);
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause == null) {
                completed.incrementAndGet();
            } else if (cause instanceof RetriableCommandException) {
                notApplied.incrementAndGet();
            } else {
                unknown.incrementAndGet(); // CommandOutcomeUnknownException, or the node closed
            }
        });
    }

    /** Stops submitting and waits (at most {@code maxWaitMillis}) for the outcomes of the commands in flight. */
    void stopAndDrain(long maxWaitMillis) {
        timer.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    long submitted() {
        return submitted.get();
    }

    long completed() {
        return completed.get();
    }

    long notApplied() {
        return notApplied.get();
    }

    long unknown() {
        return unknown.get();
    }

    long stillPending() {
        return pending.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
