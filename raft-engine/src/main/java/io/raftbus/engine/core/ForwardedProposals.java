package io.raftbus.engine.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proposals a follower forwarded to the leader and for which no answer arrived yet, each with its deadline.
 * Deadlines are "now + a constant" on a monotonic clock, so insertion order is deadline order.
 */
final class ForwardedProposals {

    private final Map<Long, Long> deadlineByProposal = new LinkedHashMap<>();

    void add(long proposalId, long deadline) {
        deadlineByProposal.put(proposalId, deadline);
    }

    boolean contains(long proposalId) {
        return deadlineByProposal.containsKey(proposalId);
    }

    /** Removes the proposal; returns whether it was waiting (false: unknown, already answered or expired). */
    boolean remove(long proposalId) {
        return deadlineByProposal.remove(proposalId) != null;
    }

    /** Removes and returns every proposal whose deadline is at or before {@code now}. */
    List<Long> expire(long now) {
        if (deadlineByProposal.isEmpty()) {
            return List.of();
        }
        List<Long> expired = new ArrayList<>();
        Iterator<Map.Entry<Long, Long>> it = deadlineByProposal.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (e.getValue() > now) {
                break;
            }
            expired.add(e.getKey());
            it.remove();
        }
        return expired;
    }

    int size() {
        return deadlineByProposal.size();
    }
}
