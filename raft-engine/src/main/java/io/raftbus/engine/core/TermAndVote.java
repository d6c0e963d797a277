package io.raftbus.engine.core;

import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;

/**
 * A node's durable Raft state: its current term and the candidate it voted for in that term (null: none). The one
 * place that writes it: {@link #save} writes through the log first and changes the in-memory copy only once the write
 * returned, so a failed write leaves both as they were.
 */
final class TermAndVote {

    private final LogAPI log;
    private long term;
    private String votedFor;

    /** Loads the term and vote stored in {@code log}. */
    TermAndVote(LogAPI log) {
        this.log = log;
        HardState stored = log.loadHardState();
        this.term = stored.term();
        this.votedFor = stored.votedFor();
    }

    long term() {
        return term;
    }

    /** The candidate voted for in {@link #term()}, or null. */
    String votedFor() {
        return votedFor;
    }

    /** Durably records {@code newTerm} with {@code vote} (null: no vote yet), in one write. */
    void save(long newTerm, String vote) {
        log.saveHardState(new HardState(newTerm, vote));
        term = newTerm;
        votedFor = vote;
    }
}
