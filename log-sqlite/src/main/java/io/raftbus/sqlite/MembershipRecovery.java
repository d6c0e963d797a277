package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import io.raftbus.engine.spi.SnapshotInfo;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Quorum-loss recovery, offline: rewrites the membership of a <em>stopped</em> node's SQLite log so that a cluster
 * that lost its majority for good can be restarted from its survivors. <strong>Unsafe by nature</strong>: commands
 * acknowledged by the lost majority but not held by the survivors are lost, and running it on a cluster that still
 * has a majority can split it in two. docs/OPERATIONS.md, "Recovering from a lost majority", says when and how;
 * {@link RecoverMembership} is the command line.
 *
 * <p>What it writes: a CONFIG entry naming the new members at {@code lastIndex + 1}, so it is the latest CONFIG entry
 * and hence the configuration in force at the next start (whatever the snapshot or the stored start membership
 * say), and the node's current term, in one transaction. Every survivor is rewritten with the same members and the
 * same recovery term {@code T}, chosen above every survivor's current term; the entry's term is {@code T} plus the
 * log's last term and the node's term becomes {@code 2T}. So:
 * <ul>
 *   <li>no entry a survivor holds has a recovery entry's term (its terms are at most its current term, below
 *       {@code T});</li>
 *   <li>two survivors write the same (index, term) only if their logs end at the same index with the same term,
 *       hence (Log Matching) are identical: the AppendEntries consistency check stays sound;</li>
 *   <li>the survivors' recovery entries compare as their logs did, so the survivor Raft would have preferred wins
 *       the first election and the others' divergent suffixes, uncommitted, are overwritten by it;</li>
 *   <li>every leader after the recovery has a term above {@code 2T}, newer than every recovery entry.</li>
 * </ul>
 * The file is opened as a {@link SqliteLog}, so one in use by a running node is refused, and its cluster and node
 * ids are those stored in it.
 */
public final class MembershipRecovery {

    private MembershipRecovery() {
    }

    /**
     * Reads {@code dbFile} and returns what {@link #recover} would write; writes no Raft state (it opens the log as
     * the node does, so a file of an older schema version is upgraded, as the node's next start would).
     *
     * @param newMembership the members to restart with: this node must be one of them
     * @param recoveryTerm {@code T}, the same on every survivor and above every survivor's current term (the dry run
     *                     of each prints it); if empty, the plan uses {@code max(current term, last log term) + 1},
     *                     the lowest this node accepts, and {@link #recover} accepts that only if the new
     *                     configuration names no other node
     * @param snapshotDir the node's snapshot directory, if it has one: its latest snapshot may set the configuration
     *                    in force and must be one the log continues from
     * @throws IllegalArgumentException the rewrite is refused (this node not a member, a term too low or missing)
     * @throws SqliteLogStorageException the file is missing or in use by a running node
     * @throws SqliteLogCorruptException the file is not a raftbus log or is damaged
     */
    public static MembershipRecoveryPlan plan(Path dbFile, Membership newMembership, OptionalLong recoveryTerm,
                                              Optional<Path> snapshotDir) {
        SqliteLogDescription found = describe(dbFile);
        try (SqliteLog log = SqliteLog.open(dbFile, found.clusterId(), found.nodeId())) { // refused while running
            return plan(log, found, newMembership, recoveryTerm, SnapshotDirectory.latest(snapshotDir));
        }
    }

    /**
     * Writes the plan {@link #plan} makes, durably, in one transaction, and returns it. The node must then be started
     * as before (with the start membership it was first started with).
     *
     * @throws IllegalArgumentException the rewrite is refused (see {@link #plan})
     */
    public static MembershipRecoveryPlan recover(Path dbFile, Membership newMembership, OptionalLong recoveryTerm,
                                                 Optional<Path> snapshotDir) {
        SqliteLogDescription found = describe(dbFile);
        try (SqliteLog log = SqliteLog.open(dbFile, found.clusterId(), found.nodeId())) { // refused while running
            MembershipRecoveryPlan plan = plan(log, found, newMembership, recoveryTerm,
                    SnapshotDirectory.latest(snapshotDir));
            requireTermIfShared(plan, recoveryTerm);
            log.appendWithHardState(new LogEntry(plan.entryIndex(), plan.entryTerm(), EntryType.CONFIG,
                    MembershipCodec.encode(newMembership)), new HardState(plan.newTerm(), null));
            return plan;
        }
    }

    /** The file's owner, read without opening it as a log: a foreign or damaged file is refused untouched. */
    private static SqliteLogDescription describe(Path dbFile) {
        return SqliteLogInspector.describe(Objects.requireNonNull(dbFile, "dbFile"), 0);
    }

    private static MembershipRecoveryPlan plan(SqliteLog log, SqliteLogDescription found, Membership newMembership,
                                               OptionalLong recoveryTerm, Optional<SnapshotInfo> snapshot) {
        Objects.requireNonNull(newMembership, "newMembership");
        String nodeId = found.nodeId();
        if (!newMembership.voters().contains(nodeId) && !newMembership.learners().contains(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " (the owner of " + log.file() + ") is not in "
                    + newMembership + ": rewrite only the survivors, each into a configuration that names it");
        }
        HardState hard = log.loadHardState();
        long lastIndex = log.lastIndex();
        long lastTerm = log.termAt(lastIndex);
        long t = term(recoveryTerm, hard, lastTerm);
        InForce inForce = inForce(log, snapshot);
        Membership stored = log.loadMembership().orElse(inForce.membership());
        return new MembershipRecoveryPlan(log.file(), found.clusterId(), nodeId, hard, log.snapshotMeta().index(),
                lastIndex, lastTerm, inForce.membership(), inForce.source(), stored, t, recoveryTerm.isPresent(),
                newMembership, lastIndex + 1, Math.addExact(t, lastTerm), Math.multiplyExact(t, 2));
    }

    /** Refuses to write without a recovery term when other survivors need the same one. */
    private static void requireTermIfShared(MembershipRecoveryPlan plan, OptionalLong given) {
        Set<String> others = new HashSet<>(plan.newMembership().voters());
        others.addAll(plan.newMembership().learners());
        others.remove(plan.nodeId());
        if (given.isEmpty() && !others.isEmpty()) {
            throw new IllegalArgumentException("--term is required when the new configuration names other nodes"
                    + " (" + new TreeSet<>(others) + "): give every survivor the same term, above the highest current"
                    + " term their dry runs print (this node's is " + plan.hardState().term() + ")");
        }
    }

    private static long term(OptionalLong given, HardState hard, long lastTerm) {
        long highest = Math.max(hard.term(), lastTerm);
        if (given.isEmpty()) {
            return highest + 1;
        }
        long t = given.getAsLong();
        if (t <= highest) {
            throw new IllegalArgumentException("--term " + t + " must be above this node's current term "
                    + hard.term() + " and last log term " + lastTerm + " (a log already recovered has a last term"
                    + " above its --term: do not recover a node twice)");
        }
        if (t > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("--term " + t + " is too large");
        }
        return t;
    }

    private record InForce(Membership membership, String source) {
    }

    /** As the core finds it at start: the latest CONFIG entry, else the snapshot's, else the start membership. */
    private static InForce inForce(SqliteLog log, Optional<SnapshotInfo> snapshot) {
        long compacted = log.snapshotMeta().index();
        if (snapshot.isPresent()) {
            SnapshotInfo s = snapshot.get();
            if (s.index() < compacted) {
                throw new IllegalArgumentException("the log is compacted through index " + compacted + " but the"
                        + " snapshot directory's latest snapshot is at " + s.index() + ": they do not belong together");
            }
            if (s.index() > compacted && !(s.index() <= log.lastIndex() && log.termAt(s.index()) == s.term())) {
                throw new IllegalArgumentException("the snapshot directory holds a snapshot at " + s.index() + "@"
                        + s.term() + " the log was not yet reset to (the node stopped while installing it); start"
                        + " the node once so it installs it, stop it, then run the recovery again");
            }
        }
        Optional<LatestConfig> config = LatestConfig.scan(log, snapshot.map(SnapshotInfo::index).orElse(compacted));
        if (config.isPresent()) {
            return new InForce(config.get().membership(), "CONFIG entry at index " + config.get().index());
        }
        if (snapshot.isPresent() && snapshot.get().index() > 0) {
            return new InForce(snapshot.get().membership(), "snapshot at index " + snapshot.get().index());
        }
        Optional<Membership> stored = log.loadMembership();
        if (stored.isEmpty()) {
            throw new IllegalArgumentException(log.file() + " stores no start membership: the node never started on"
                    + " it, there is nothing to recover");
        }
        return new InForce(stored.get(), compacted > 0
                ? "start membership: the log is compacted and no snapshot directory was given, so a snapshot's"
                + " configuration may be in force instead"
                : "start membership, no CONFIG entry in the log");
    }

    /** The latest CONFIG entry after {@code fromExclusive}, found with the log's CONFIG-entry lookup. */
    private record LatestConfig(long index, Membership membership) {

        static Optional<LatestConfig> scan(SqliteLog log, long fromExclusive) {
            List<LogEntry> configs = log.configEntries(Math.max(log.firstIndex(), fromExclusive + 1));
            if (configs.isEmpty()) {
                return Optional.empty();
            }
            LogEntry e = configs.get(configs.size() - 1);
            try {
                return Optional.of(new LatestConfig(e.index(), MembershipCodec.decode(e.payload())));
            } catch (IllegalArgumentException bad) {
                throw new SqliteLogCorruptException(log.file() + " holds a CONFIG entry at index "
                        + e.index() + " that does not decode: " + bad.getMessage(), bad);
            }
        }
    }
}
