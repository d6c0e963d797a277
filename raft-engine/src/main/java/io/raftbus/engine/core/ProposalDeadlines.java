package io.raftbus.engine.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proposals with a deadline, each settled once: by its outcome ({@link #settle}) or by its deadline
 * ({@link #expire}), after which a late outcome is dropped. Used for every local proposal's caller deadline
 * ({@link io.raftbus.engine.RaftConfig#commandTimeoutMs()}) and for a follower's forwards awaiting the leader's answer
 * ({@link io.raftbus.engine.RaftConfig#forwardTimeoutMs()}). Deadlines are "now + a constant" on a monotonic clock,
 * so insertion order is deadline order.
 */
final class ProposalDeadlines {

    /** A proposal whose deadline passed; {@code read} tells a read from a command. */
    record Expired(long proposalId, boolean read) {
    }

    private record Deadline(long at, boolean read) {
    }

    private final Map<Long, Deadline> byProposal = new LinkedHashMap<>();

    void add(long proposalId, long deadline, boolean read) {
        byProposal.put(proposalId, new Deadline(deadline, read));
    }

    /** Whether the proposal is still waiting. */
    boolean contains(long proposalId) {
        return byProposal.containsKey(proposalId);
    }

    /** Whether the waiting proposal is a read (false if it is a command or not waiting). */
    boolean isRead(long proposalId) {
        Deadline d = byProposal.get(proposalId);
        return d != null && d.read();
    }

    /** How many proposals are waiting. */
    int size() {
        return byProposal.size();
    }

    /** Settles the proposal; returns whether it was still waiting (false: unknown, or settled by its deadline). */
    boolean settle(long proposalId) {
        return byProposal.remove(proposalId) != null;
    }

    /** The earliest deadline still waiting, or {@link Long#MAX_VALUE} if none (insertion order is deadline order). */
    long earliest() {
        return byProposal.isEmpty() ? Long.MAX_VALUE : byProposal.values().iterator().next().at();
    }

    /** Removes and returns every proposal whose deadline is at or before {@code now}, in deadline order. */
    List<Expired> expire(long now) {
        if (byProposal.isEmpty()) {
            return List.of();
        }
        List<Expired> expired = new ArrayList<>();
        Iterator<Map.Entry<Long, Deadline>> it = byProposal.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Deadline> e = it.next();
            if (e.getValue().at() > now) {
                break;
            }
            expired.add(new Expired(e.getKey(), e.getValue().read()));
            it.remove();
        }
        return expired;
    }
}
