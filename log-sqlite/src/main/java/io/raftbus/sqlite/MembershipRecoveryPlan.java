package io.raftbus.sqlite;

import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.Membership;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link MembershipRecovery} found in a stopped node's SQLite log and what it writes (or, on a dry run, would
 * write): one CONFIG entry naming the new members at {@code entryIndex} in {@code entryTerm}, and the node's current
 * term raised to {@code newTerm} with no vote.
 *
 * @param file the database file
 * @param clusterId the cluster the file belongs to
 * @param nodeId the node the file belongs to
 * @param hardState the node's current term and vote before the recovery
 * @param snapshotIndex where the log's compacted prefix ends (0: never compacted)
 * @param lastIndex the log's last index before the recovery
 * @param lastTerm the term of that entry
 * @param inForce the configuration in force at the node's next start without the recovery
 * @param inForceSource where {@code inForce} comes from (a CONFIG entry, the snapshot, the stored start membership)
 * @param storedStartMembership the start membership stored in the file (the node keeps being started with it)
 * @param recoveryTerm the {@code --term} the recovery is based on: above every survivor's current term
 * @param recoveryTermGiven whether the operator gave it; if not, it is the lowest this node accepts
 * @param newMembership the configuration the recovery writes
 * @param entryIndex the index of the CONFIG entry written ({@code lastIndex + 1})
 * @param entryTerm its term: {@code recoveryTerm + lastTerm}
 * @param newTerm the node's current term afterwards: {@code 2 * recoveryTerm}
 */
public record MembershipRecoveryPlan(Path file, String clusterId, String nodeId, HardState hardState,
                                     long snapshotIndex, long lastIndex, long lastTerm, Membership inForce,
                                     String inForceSource, Membership storedStartMembership, long recoveryTerm,
                                     boolean recoveryTermGiven, Membership newMembership, long entryIndex,
                                     long entryTerm, long newTerm) {

    /** The plan as lines for an operator: what was found, then what is (or would be) written. */
    public List<String> describe(boolean written) {
        List<String> lines = new ArrayList<>();
        lines.add("log file:           " + file + " (cluster " + clusterId + ", node " + nodeId + ")");
        lines.add("current term:       " + hardState.term()
                + (hardState.votedFor() == null ? " (no vote)" : " (voted for " + hardState.votedFor() + ")"));
        lines.add("log:                last entry " + lastIndex + "@" + lastTerm
                + (snapshotIndex > 0 ? ", compacted through index " + snapshotIndex : ", never compacted"));
        lines.add("config in force:    " + inForce + " (" + inForceSource + ")");
        lines.add("start membership:   " + storedStartMembership + " (stored; keep starting the node with it)");
        lines.add((written ? "wrote:              " : "would write:        ") + "CONFIG entry " + entryIndex + "@"
                + entryTerm + " with " + newMembership + " (term = --term " + recoveryTerm + " + last log term "
                + lastTerm + ")");
        if (!recoveryTermGiven) {
            lines.add("                    (no --term given: " + recoveryTerm + " is the lowest this node accepts;"
                    + " with other survivors, give each the same --term above all their current terms)");
        }
        lines.add("                    current term " + newTerm
                + ", no vote (2 x --term: every later leader is newer than every survivor's recovery entry)");
        return lines;
    }
}
