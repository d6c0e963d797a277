package io.raftbus.engine.spi;

/**
 * The durable per-node Raft state besides the log: the current term and the vote cast in it. Always written
 * together, atomically.
 *
 * @param term current term (0 before any election)
 * @param votedFor the node voted for in {@code term}, or {@code null}
 */
public record HardState(long term, String votedFor) {

    /** The state of a brand-new node. */
    public static final HardState INITIAL = new HardState(0, null);

    public HardState {
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
    }
}
