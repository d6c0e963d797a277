package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.spi.SnapshotStore;

/**
 * The parts of one node's core that every role uses: who it is, its settings, the configurations in its log (the
 * latest is in force: voters, learners and majority), its log and durable term,
 * and where its messages and outcomes go, and its snapshot store ({@code snapshots}, null if it takes none). Created
 * once by {@link RaftCore} and handed to each role object.
 */
record CoreParts(String nodeId, Configurations configs, RaftConfig config, LogView log,
                 TermAndVote termAndVote, Messages messages, Outbox outbox, CommitTracker commits,
                 ProposalOutcomes outcomes, SnapshotStore snapshots) {

    long currentTerm() {
        return termAndVote.term();
    }

    /** The configuration in force. */
    ConfigView view() {
        return configs.view();
    }
}
