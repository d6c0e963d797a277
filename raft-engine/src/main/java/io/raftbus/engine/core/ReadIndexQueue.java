package io.raftbus.engine.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A leader's linearizable reads (ReadIndex, thesis §6.4). A read first waits for a confirmation round: it gets the
 * round's number and the commit index when the round starts (its read index). It is served once a majority has
 * echoed that round or a later one (proof that this node was still leader after the read arrived) and the state
 * machine has applied its read index. Rounds and read indexes only grow, so reads are served in arrival order.
 */
final class ReadIndexQueue {

    /** A read; {@code round} 0 until a confirmation round is started for it. */
    record Read(Waiter waiter, byte[] query, long round, long readIndex) {
    }

    private final ArrayDeque<Read> waitingForRound = new ArrayDeque<>();
    private final ArrayDeque<Read> inRound = new ArrayDeque<>();

    void add(Waiter waiter, byte[] query) {
        waitingForRound.add(new Read(waiter, query, 0, 0));
    }

    boolean hasReadsWaitingForRound() {
        return !waitingForRound.isEmpty();
    }

    boolean hasReadsInRound() {
        return !inRound.isEmpty();
    }

    /** Hands the waiter of every read waiting for a round to {@code action}, in order. */
    void forEachWaitingForRound(Consumer<Waiter> action) {
        for (Read r : waitingForRound) {
            action.accept(r.waiter());
        }
    }

    /** Puts every read waiting for a round into round {@code round} with read index {@code readIndex}. */
    void startRound(long round, long readIndex) {
        for (Read r : waitingForRound) {
            inRound.add(new Read(r.waiter(), r.query(), round, readIndex));
        }
        waitingForRound.clear();
    }

    /** Removes and returns the reads whose round is confirmed and whose read index is applied, in order. */
    List<Read> takeServable(long confirmedRound, long appliedIndex) {
        List<Read> out = new ArrayList<>();
        while (!inRound.isEmpty() && inRound.peek().round() <= confirmedRound
                && inRound.peek().readIndex() <= appliedIndex) {
            out.add(inRound.poll());
        }
        return out;
    }

    /** Removes the read of {@code waiter} (its caller stopped waiting), wherever it is. */
    void remove(Waiter waiter) {
        waitingForRound.removeIf(r -> r.waiter().equals(waiter));
        inRound.removeIf(r -> r.waiter().equals(waiter));
    }

    /** Removes and returns every read (leadership lost: none can be served here). */
    List<Read> takeAll() {
        List<Read> out = new ArrayList<>(inRound);
        out.addAll(waitingForRound);
        inRound.clear();
        waitingForRound.clear();
        return out;
    }

    int size() {
        return waitingForRound.size() + inRound.size();
    }
}
