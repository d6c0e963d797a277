package io.raftbus.engine;

/** A node's role in the current term. */
public enum Role {
    FOLLOWER,
    /** Running a PreVote round (thesis §9.6) before campaigning; the term is not yet incremented. */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER
}
