package io.raftbus.engine.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Proposals with a deadline, each settled once: by its outcome ({@link #settle}) or by its deadline
 * ({@link #expire}), after which a late outcome is dropped. Used for every local proposal's caller deadline
 * ({@link io.raftbus.engine.RaftConfig#commandTimeoutMs()}) and for a follower's forwards awaiting the leader's answer
 * ({@link io.raftbus.engine.RaftConfig#forwardTimeoutMs()}). Deadlines are "now + a constant" on a monotonic clock,
 * so insertion order is deadline order.
 *
 * <p>Allocates nothing per proposal: the proposals wait in a ring of primitive arrays in insertion order (a settled
 * one leaves a hole, skipped when it reaches the head), found by id through {@link IdPositions} (their position in
 * a ring indexed by the id itself: a node draws its proposal ids from one counter, so no hashing).
 * A full ring is compacted in place if at most half of it is live, else doubled, so each proposal is copied O(1)
 * times; an emptied ring shrinks to what it needed since it was last empty, and no smaller than
 * {@value #KEEP_AT_LEAST} slots.
 */
final class ProposalDeadlines {

    /** A proposal whose deadline passed; {@code read} tells a read from a command. */
    record Expired(long proposalId, boolean read) {
    }

    private static final int INITIAL_SLOTS = 64;
    private static final long ABSENT = -1;
    /** An emptied ring keeps at least this many slots (a few thousand in flight come and go without reallocating). */
    private static final int KEEP_AT_LEAST = 4096;

    private long[] ids = new long[INITIAL_SLOTS];
    private long[] deadlines = new long[INITIAL_SLOTS];
    private boolean[] reads = new boolean[INITIAL_SLOTS];
    private boolean[] live = new boolean[INITIAL_SLOTS];
    /** Positions (sequence numbers; slot {@code position & (length - 1)}) of the ring's oldest entry and next one. */
    private long head;
    private long tail;
    /** The most slots in use since the ring was last empty. */
    private int peakSpan;
    /** The position of every waiting proposal, by id. */
    private final IdPositions positions = new IdPositions();

    void add(long proposalId, long deadline, boolean read) {
        long known = positions.get(proposalId, ABSENT);
        if (known != ABSENT) { // tracked again: the new deadline, at its first place in the order
            deadlines[slot(known)] = deadline;
            reads[slot(known)] = read;
            return;
        }
        if (tail - head == ids.length) {
            if (positions.size() <= ids.length / 2) {
                compact();
            } else {
                rebuild(ids.length * 2);
            }
        }
        int slot = slot(tail);
        ids[slot] = proposalId;
        deadlines[slot] = deadline;
        reads[slot] = read;
        live[slot] = true;
        positions.put(proposalId, tail++);
        peakSpan = (int) Math.max(peakSpan, tail - head);
    }

    /** Whether the proposal is still waiting. */
    boolean contains(long proposalId) {
        return positions.get(proposalId, ABSENT) != ABSENT;
    }

    /** Whether the waiting proposal is a read (false if it is a command or not waiting). */
    boolean isRead(long proposalId) {
        long at = positions.get(proposalId, ABSENT);
        return at != ABSENT && reads[slot(at)];
    }

    /** How many proposals are waiting. */
    int size() {
        return positions.size();
    }

    /** Settles the proposal; returns whether it was still waiting (false: unknown, or settled by its deadline). */
    boolean settle(long proposalId) {
        long at = positions.remove(proposalId, ABSENT);
        if (at == ABSENT) {
            return false;
        }
        live[slot(at)] = false;
        while (head < tail && !live[slot(head)]) {
            head++;
        }
        if (head == tail) {
            // emptied: keep what the proposals since the last time needed (a steady load re-fills it at once) and
            // give back the rest of an earlier burst's memory
            int keep = Math.max(KEEP_AT_LEAST, Integer.highestOneBit(peakSpan) << 1);
            if (ids.length > keep) {
                rebuild(keep);
            }
            peakSpan = 0;
        }
        return true;
    }

    /** The earliest deadline still waiting, or {@link Long#MAX_VALUE} if none (insertion order is deadline order). */
    long earliest() {
        return head == tail ? Long.MAX_VALUE : deadlines[slot(head)]; // the head is always live
    }

    /** Removes and returns every proposal whose deadline is at or before {@code now}, in deadline order. */
    List<Expired> expire(long now) {
        if (earliest() > now) {
            return List.of();
        }
        List<Expired> expired = new ArrayList<>();
        while (head < tail) {
            int slot = slot(head);
            if (live[slot]) {
                if (deadlines[slot] > now) {
                    break;
                }
                expired.add(new Expired(ids[slot], reads[slot]));
                positions.remove(ids[slot], ABSENT);
                live[slot] = false;
            }
            head++;
        }
        return expired;
    }

    private int slot(long position) {
        return (int) position & (ids.length - 1);
    }

    /** Moves the live entries, in order, to the front of the ring, in place (its holes go to the back). */
    private void compact() {
        long to = head;
        for (long from = head; from < tail; from++) {
            int slot = slot(from);
            if (live[slot]) {
                if (to != from) {
                    int target = slot(to);
                    ids[target] = ids[slot];
                    deadlines[target] = deadlines[slot];
                    reads[target] = reads[slot];
                    live[target] = true;
                    live[slot] = false;
                    positions.put(ids[slot], to);
                }
                to++;
            }
        }
        tail = to;
    }

    /** Copies the live entries, in order, to new arrays of {@code capacity} slots (a power of two). */
    private void rebuild(int capacity) {
        long[] newIds = new long[capacity];
        long[] newDeadlines = new long[capacity];
        boolean[] newReads = new boolean[capacity];
        boolean[] newLive = new boolean[capacity];
        int n = 0;
        for (long p = head; p < tail; p++) {
            int slot = slot(p);
            if (live[slot]) {
                newIds[n] = ids[slot];
                newDeadlines[n] = deadlines[slot];
                newReads[n] = reads[slot];
                newLive[n] = true;
                positions.put(ids[slot], n);
                n++;
            }
        }
        ids = newIds;
        deadlines = newDeadlines;
        reads = newReads;
        live = newLive;
        head = 0;
        tail = n;
    }
}
