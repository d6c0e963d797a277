package io.raftbus.benchmarks.stability;

import io.raftbus.engine.RaftListener;
import io.raftbus.engine.Role;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RaftListener} shared by every node of a cluster that counts what leadership did: pre-campaigns (an election
 * timer fired), elections (distinct terms in which a node campaigned), leaders (distinct terms with a leader), and a
 * leader's step-downs by cause — in the term it led (CheckQuorum: it stopped hearing from a majority) or in a later
 * term (it saw a higher term). Also keeps a timeline of leadership events, in milliseconds since the run began.
 */
final class LeadershipRecorder implements RaftListener {

    private final long startNanos;
    private final Map<String, Long> leadingTerm = new ConcurrentHashMap<>();
    private final Set<Long> campaignTerms = new HashSet<>();
    private final Set<Long> leaderTerms = new HashSet<>();
    private final List<String> timeline = new ArrayList<>();
    private int preCampaigns;
    private int checkQuorumStepDowns;
    private int higherTermStepDowns;
    private long firstLeaderNanos = -1;

    LeadershipRecorder(long startNanos) {
        this.startNanos = startNanos;
    }

    @Override
    public synchronized void onRoleChange(String nodeId, Role from, Role to, long term) {
        long now = System.nanoTime();
        switch (to) {
            case PRE_CANDIDATE -> preCampaigns++;
            case CANDIDATE -> campaignTerms.add(term);
            case LEADER -> {
                leaderTerms.add(term);
                leadingTerm.put(nodeId, term);
                if (firstLeaderNanos < 0) {
                    firstLeaderNanos = now;
                }
            }
            default -> { }
        }
        if (from == Role.LEADER) {
            Long led = leadingTerm.remove(nodeId);
            if (led != null && led == term) {
                checkQuorumStepDowns++;
            } else {
                higherTermStepDowns++;
            }
        }
        if (to == Role.CANDIDATE || to == Role.LEADER || from == Role.LEADER) {
            timeline.add(String.format("%9.3f s  %s %s -> %s term %d", (now - startNanos) / 1e9, nodeId, from, to,
                    term));
        }
    }

    synchronized int preCampaigns() {
        return preCampaigns;
    }

    synchronized int elections() {
        return campaignTerms.size();
    }

    synchronized int leaders() {
        return leaderTerms.size();
    }

    synchronized int checkQuorumStepDowns() {
        return checkQuorumStepDowns;
    }

    synchronized int higherTermStepDowns() {
        return higherTermStepDowns;
    }

    /** Seconds from the run's start to the first leader, or NaN if none yet. */
    synchronized double secondsToFirstLeader() {
        return firstLeaderNanos < 0 ? Double.NaN : (firstLeaderNanos - startNanos) / 1e9;
    }

    synchronized List<String> timeline() {
        return List.copyOf(timeline);
    }
}
