package io.raftbus.engine.core;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.MembershipCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Decides which inbound messages a node handles, and counts the others by cause: another cluster's
 * ({@code "foreign-cluster"}), addressed to another node ({@code "wrong-receiver"}), impossible for a correct sender
 * ({@code "malformed"}, including a CONFIG entry whose membership does not decode), Raft protocol messages from a
 * non-member ({@code "non-member"}), and messages claiming to come from this node ({@code "from-self"}). Who counts
 * as a member depends on the message, against the configurations in this node's log ({@link Configurations}):
 * answers to a campaign only from a voter of the configuration in force (only theirs count); campaign requests
 * (pre-votes, votes, TimeoutNow) from a member of any configuration held, and from any node while no leader is
 * live here (this node leads, or heard from its leader within the minimum election timeout): a node that lags may
 * be asked by a candidate it does not know as a voter yet, or at all, and be needed to elect it (thesis §4.1:
 * requests are handled without consulting the configuration), while a node whose removal this node has applied is
 * forgotten and cannot disrupt a live leader (§4.2.3); answers to a leader from a member of any configuration held
 * (a node being removed still answers until its removal commits); a leader's AppendEntries and snapshot chunks, and answers to forwarded
 * commands, from any node of the cluster, because a leader may be in a configuration this node has not learned yet
 * (the term rule makes a stale one harmless); external clients may only send {@link CommandRequest}s. The core counts
 * here too what it drops later for its own reasons ({@link #count}), such as a snapshot chunk of an earlier term
 * ({@code "stale-snapshot-chunk"}).
 */
final class InboundFilter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundFilter.class);

    private final String nodeId;
    private final String clusterId;
    private final Configurations configs;
    private final BooleanSupplier leaderLive;
    private final Map<String, Long> drops = new TreeMap<>();
    /** How many were dropped in all: a reader can tell the counts changed without copying them. */
    private long dropped;

    /** {@code leaderLive}: whether this node leads, or heard from its leader within the minimum election timeout. */
    InboundFilter(String nodeId, String clusterId, Configurations configs, BooleanSupplier leaderLive) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.configs = configs;
        this.leaderLive = leaderLive;
    }

    /** Whether to handle {@code m}; if not, it is counted. */
    boolean admit(RaftMessage m) {
        if (!clusterId.equals(m.clusterId())) {
            return drop("foreign-cluster", m);
        }
        if (!nodeId.equals(m.to())) {
            return drop("wrong-receiver", m);
        }
        if (m.from() == null || malformed(m)) {
            return drop("malformed", m);
        }
        if (!fromMember(m)) {
            return drop("non-member", m);
        }
        if (nodeId.equals(m.from())) {
            return drop("from-self", m);
        }
        return true;
    }

    /**
     * Whether {@code m}, not admitted, is a campaign request (pre-vote or vote) of this cluster, to this node, from a
     * node no configuration held here knows: a former member whose removal this node applied, campaigning because it
     * never learned of it (a leader answers with its farewell again, see {@link Leader#farewellAgain}).
     */
    boolean campaignFromFormerMember(RaftMessage m) {
        return (m instanceof PreVoteRequest || m instanceof VoteRequest) && clusterId.equals(m.clusterId())
                && nodeId.equals(m.to()) && m.from() != null && !nodeId.equals(m.from()) && !malformed(m)
                && !configs.knows(m.from());
    }

    /** Counts {@code m}, admitted here but dropped by the core for {@code cause}. */
    void count(String cause, RaftMessage m) {
        drop(cause, m);
    }

    Map<String, Long> dropCounts() {
        return Map.copyOf(drops);
    }

    /** How many messages were dropped in all (the sum of {@link #dropCounts()}). */
    long dropped() {
        return dropped;
    }

    /** Whether the sender of {@code m} may send it (see the class comment). */
    private boolean fromMember(RaftMessage m) {
        if (m instanceof PreVoteResponse || m instanceof VoteResponse) {
            return configs.view().isVoter(m.from()); // only grants of voters of the configuration in force count
        }
        if (m instanceof PreVoteRequest || m instanceof VoteRequest || m instanceof TimeoutNow) {
            return configs.knows(m.from()) || !leaderLive.getAsBoolean();
        }
        if (m instanceof AppendEntriesResponse || m instanceof InstallSnapshotResponse) {
            return configs.knows(m.from());
        }
        return true; // commands from anyone; a leader's traffic and answers to forwards from any node of the cluster
    }

    /** Messages no correct sender produces; handling them could corrupt the log or throw. */
    private static boolean malformed(RaftMessage m) {
        if (m.term() < 0) {
            return true;
        }
        if (m instanceof CommandResponse r) {
            return r.status() == null;
        }
        if (m instanceof AppendEntriesRequest r) {
            if (r.prevLogIndex() < 0 || r.prevLogTerm() < 0 || r.prevLogTerm() > r.term() || r.leaderCommit() < 0) {
                return true;
            }
            long expectedIndex = r.prevLogIndex() + 1;
            long minTerm = Math.max(1, r.prevLogTerm());
            List<LogEntry> entries = r.entries();
            for (int i = 0; i < entries.size(); i++) { // indexed: no iterator per message
                LogEntry e = entries.get(i);
                if (e == null || e.index() != expectedIndex++ || e.term() < minTerm || e.term() > r.term()
                        || (e.type() == EntryType.CONFIG && !decodes(e))) {
                    return true;
                }
                minTerm = e.term();
            }
        }
        if (m instanceof InstallSnapshotRequest r) {
            long end = r.offset() + r.data().length;
            return r.snapshotIndex() < 1 || r.snapshotTerm() < 1 || r.snapshotTerm() > r.term() || r.offset() < 0
                    || r.totalBytes() < 0 || end < 0 || end > r.totalBytes() || r.done() != (end == r.totalBytes())
                    || (r.data().length == 0 && r.totalBytes() > 0);
        }
        if (m instanceof InstallSnapshotResponse r) {
            return r.snapshotIndex() < 1 || r.snapshotTerm() < 1 || r.nextOffset() < 0 || r.matchIndex() < 0
                    || (r.installed() && r.matchIndex() < 1);
        }
        return false;
    }

    private static boolean decodes(LogEntry config) {
        try {
            MembershipCodec.decode(config.payload());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean drop(String cause, RaftMessage m) {
        drops.merge(cause, 1L, Long::sum);
        dropped++;
        LOG.debug("{}: dropped ({}) {}", nodeId, cause, m);
        return false;
    }
}
