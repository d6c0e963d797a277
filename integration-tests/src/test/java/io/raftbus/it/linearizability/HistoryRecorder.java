package io.raftbus.it.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe recorder of a concurrent history: clients call {@link #invoke} just before sending an operation and
 * {@link #ok} or {@link #unknown} once they know (or give up knowing) its outcome. Times come from
 * {@link System#nanoTime()}.
 */
public final class HistoryRecorder<I, O> {

    private record Invocation<I>(int clientId, I input, long callNanos) {
    }

    private final AtomicInteger ids = new AtomicInteger();
    private final ConcurrentHashMap<Integer, Invocation<I>> open = new ConcurrentHashMap<>();
    private final List<Operation<I, O>> completed = new ArrayList<>();

    /** Records the call of {@code input} by {@code clientId}; returns the operation id. */
    public int invoke(int clientId, I input) {
        int id = ids.getAndIncrement();
        open.put(id, new Invocation<>(clientId, input, System.nanoTime()));
        return id;
    }

    /** Records that operation {@code id} returned {@code output}. */
    public void ok(int id, O output) {
        long now = System.nanoTime();
        Invocation<I> call = take(id);
        add(new Operation<>(id, call.clientId(), call.input(), output, call.callNanos(), now));
    }

    /** Records that operation {@code id}'s outcome is unknown: it may or may not have taken effect. */
    public void unknown(int id) {
        Invocation<I> call = take(id);
        add(new Operation<>(id, call.clientId(), call.input(), null, call.callNanos(), Operation.PENDING));
    }

    /**
     * Forgets operation {@code id}: it definitely never took effect (refused before being proposed), so it is not
     * part of the history.
     */
    public void discard(int id) {
        take(id);
    }

    /** The history so far; operations still open count as unknown. */
    public synchronized List<Operation<I, O>> history() {
        List<Operation<I, O>> all = new ArrayList<>(completed);
        open.forEach((id, call) -> all.add(new Operation<>(id, call.clientId(), call.input(), null,
                call.callNanos(), Operation.PENDING)));
        return all;
    }

    private Invocation<I> take(int id) {
        Invocation<I> call = open.remove(id);
        if (call == null) {
            throw new IllegalStateException("Operation " + id + " was not invoked or already completed");
        }
        return call;
    }

    private synchronized void add(Operation<I, O> op) {
        completed.add(op);
    }
}
