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
 * a ring indexed by the id itself: a node draws its proposal ids from one counter, so no hashing). A slot's id and
 * deadline sit side by side in one {@code long[]}, its live and read flags in one {@code byte[]}: tracking a
 * proposal writes two arrays, not four, and settling it ~1,000 proposals later touches one flag.
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

    private static final byte LIVE = 1;
    private static final byte READ = 2;

    /** Slot {@code s}'s proposal id at {@code 2 s}, its deadline at {@code 2 s + 1}. */
    private long[] idsAndDeadlines = new long[2 * INITIAL_SLOTS];
    /** Slot {@code s}'s {@link #LIVE} and {@link #READ} bits. */
    private byte[] flags = new byte[INITIAL_SLOTS];
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
            idsAndDeadlines[2 * slot(known) + 1] = deadline;
            flags[slot(known)] = flagsOf(read);
            return;
        }
        if (tail - head == flags.length) {
            if (positions.size() <= flags.length / 2) {
                compact();
            } else {
                rebuild(flags.length * 2);
            }
        }
        int slot = slot(tail);
        idsAndDeadlines[2 * slot] = proposalId;
        idsAndDeadlines[2 * slot + 1] = deadline;
        flags[slot] = flagsOf(read);
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
        return at != ABSENT && (flags[slot(at)] & READ) != 0;
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
        flags[slot(at)] = 0;
        while (head < tail && flags[slot(head)] == 0) {
            head++;
        }
        if (head == tail) {
            // emptied: keep what the proposals since the last time needed (a steady load re-fills it at once) and
            // give back the rest of an earlier burst's memory
            int keep = Math.max(KEEP_AT_LEAST, Integer.highestOneBit(peakSpan) << 1);
            if (flags.length > keep) {
                rebuild(keep);
            }
            peakSpan = 0;
        }
        return true;
    }

    /** The earliest deadline still waiting, or {@link Long#MAX_VALUE} if none (insertion order is deadline order). */
    long earliest() {
        return head == tail ? Long.MAX_VALUE : idsAndDeadlines[2 * slot(head) + 1]; // the head is always live
    }

    /** Removes and returns every proposal whose deadline is at or before {@code now}, in deadline order. */
    List<Expired> expire(long now) {
        if (earliest() > now) {
            return List.of();
        }
        List<Expired> expired = new ArrayList<>();
        while (head < tail) {
            int slot = slot(head);
            if (flags[slot] != 0) {
                long id = idsAndDeadlines[2 * slot];
                if (idsAndDeadlines[2 * slot + 1] > now) {
                    break;
                }
                expired.add(new Expired(id, (flags[slot] & READ) != 0));
                positions.remove(id, ABSENT);
                flags[slot] = 0;
            }
            head++;
        }
        return expired;
    }

    private int slot(long position) {
        return (int) position & (flags.length - 1);
    }

    private static byte flagsOf(boolean read) {
        return read ? (byte) (LIVE | READ) : LIVE;
    }

    /** Moves the live entries, in order, to the front of the ring, in place (its holes go to the back). */
    private void compact() {
        long to = head;
        for (long from = head; from < tail; from++) {
            int slot = slot(from);
            if (flags[slot] != 0) {
                if (to != from) {
                    int target = slot(to);
                    idsAndDeadlines[2 * target] = idsAndDeadlines[2 * slot];
                    idsAndDeadlines[2 * target + 1] = idsAndDeadlines[2 * slot + 1];
                    flags[target] = flags[slot];
                    flags[slot] = 0;
                    positions.put(idsAndDeadlines[2 * target], to);
                }
                to++;
            }
        }
        tail = to;
    }

    /** Copies the live entries, in order, to new arrays of {@code capacity} slots (a power of two). */
    private void rebuild(int capacity) {
        long[] newIdsAndDeadlines = new long[2 * capacity];
        byte[] newFlags = new byte[capacity];
        int n = 0;
        for (long p = head; p < tail; p++) {
            int slot = slot(p);
            if (flags[slot] != 0) {
                newIdsAndDeadlines[2 * n] = idsAndDeadlines[2 * slot];
                newIdsAndDeadlines[2 * n + 1] = idsAndDeadlines[2 * slot + 1];
                newFlags[n] = flags[slot];
                positions.put(idsAndDeadlines[2 * slot], n);
                n++;
            }
        }
        idsAndDeadlines = newIdsAndDeadlines;
        flags = newFlags;
        head = 0;
        tail = n;
    }
}
