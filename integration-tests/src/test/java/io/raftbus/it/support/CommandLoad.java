package io.raftbus.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.raftbus.engine.testing.TestDeadlines;

/**
 * Concurrent clients submitting uniquely tagged opaque commands to a {@link ClusterHarness}, each with a small
 * window of commands in flight, remembering which tags were acknowledged (the future completed with the tag), until
 * {@code limit} commands are acknowledged or {@link #stop()}. A failed or timed-out command is never retried under
 * the same tag (its outcome is unknown, it may still be applied): a new command takes its place.
 */
public final class CommandLoad implements AutoCloseable {

    /** How long a client waits for one command before counting it as failed (outcome unknown). */
    private static final Duration COMMAND_TIMEOUT = TestDeadlines.seconds(15);

    private final ClusterHarness cluster;
    private final String prefix;
    private final int limit;
    private final int window;
    private final List<Thread> clients = new ArrayList<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, Long> failureCauses = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /**
     * @param limit commands to get acknowledged (across clients), or {@code Integer.MAX_VALUE} until {@link #stop()}
     * @param window commands each client keeps in flight
     */
    public CommandLoad(ClusterHarness cluster, String prefix, int clientCount, int limit, int window) {
        this.cluster = cluster;
        this.prefix = prefix;
        this.limit = limit;
        this.window = window;
        for (int c = 0; c < clientCount; c++) {
            int client = c;
            Thread thread = new Thread(() -> runClient(client), "load-" + prefix + "-" + c);
            thread.setDaemon(true);
            clients.add(thread);
        }
    }

    public CommandLoad start() {
        clients.forEach(Thread::start);
        return this;
    }

    private void runClient(int client) {
        Semaphore inFlight = new Semaphore(window);
        int n = 0;
        while (running && acknowledged.size() < limit) {
            int current = outstanding.get();
            if (current >= limit) {
                // the last commands are in flight; re-issue only if some of them fail
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                continue;
            }
            if (!outstanding.compareAndSet(current, current + 1)) {
                continue;
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String tag = prefix + "-" + client + "-" + n++;
            issued.incrementAndGet();
            CompletableFuture<byte[]> future;
            try {
                future = cluster.submit(KvCodec.opaque(tag));
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            future.orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((result, error) -> {
                if (error == null && tag.equals(new String(result, java.nio.charset.StandardCharsets.UTF_8))) {
                    acknowledged.add(tag);
                } else {
                    failures.incrementAndGet();
                    Throwable cause = error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null ? error.getCause() : error;
                    failureCauses.merge(cause == null ? "wrong result" : cause.getClass().getSimpleName(), 1L,
                            Long::sum);
                    outstanding.decrementAndGet();
                }
                inFlight.release();
            });
            if (future.isCompletedExceptionally()) {
                // no leader right now, node closed...: back off briefly instead of spinning
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        try {
            inFlight.acquire(window);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the clients to stop issuing and waits for their in-flight commands to settle. */
    public void stop() {
        running = false;
        join(COMMAND_TIMEOUT.plus(TestDeadlines.seconds(10)));
    }

    /** Waits for all clients to finish (after reaching the limit or being stopped). */
    public void join(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : clients) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                throw new AssertionError("load client " + t.getName() + " did not finish within " + timeout);
            }
        }
    }

    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Commands that failed or timed out (outcome unknown: they may have been applied). */
    public long failures() {
        return failures.get();
    }

    /** Failed commands by the simple class name of their failure ("wrong result" for an unexpected answer). */
    public Map<String, Long> failureCauses() {
        return new java.util.TreeMap<>(failureCauses);
    }

    /** Commands issued, acknowledged or not. */
    public int issued() {
        return issued.get();
    }

    @Override
    public void close() {
        running = false;
    }
}
