package io.raftbus.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.raftbus.engine.TestNodes.DEADLINE;

/** Callers on threads of their own, for tests of a caller blocked on a future; {@link #joinAll} at the end. */
final class CallerThreads {

    private final List<Thread> started = new CopyOnWriteArrayList<>();

    /** Starts a daemon thread named {@code name} running {@code body}. */
    Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        started.add(t);
        t.start();
        return t;
    }

    /**
     * Starts a caller, named "caller", blocked in {@code future.join()}; the reference receives its failure (a
     * {@link CompletionException}'s cause, or the exception join threw), and stays empty if it succeeds.
     */
    AtomicReference<Throwable> joinFailure(CompletableFuture<?> future) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        start("caller", () -> {
            try {
                future.join();
            } catch (CompletionException e) {
                failure.set(e.getCause());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        return failure;
    }

    /** Waits for every caller started to end, at most the tests' deadline each. */
    void joinAll() throws InterruptedException {
        for (Thread t : started) {
            t.join(DEADLINE.toMillis());
        }
    }
}
