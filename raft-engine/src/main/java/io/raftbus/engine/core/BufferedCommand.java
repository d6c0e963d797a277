package io.raftbus.engine.core;

/**
 * A command the leader accepted and will append with the next group commit.
 *
 * @param origin who proposed it
 * @param proposalId for {@link Origin#LOCAL}: the caller's proposal id
 * @param key for {@link Origin#MEMBER} and {@link Origin#CLIENT}: sender and request id
 * @param command the command bytes
 */
record BufferedCommand(Origin origin, long proposalId, RecentRequests.Key key, byte[] command) {

    enum Origin {
        /** {@code submit} on this (leader) node. */
        LOCAL,
        /** A member forwarded it; it gets ACCEPTED once the entry is durable. */
        MEMBER,
        /** An external client sent it; it gets APPLIED once applied. */
        CLIENT
    }

    static BufferedCommand local(long proposalId, byte[] command) {
        return new BufferedCommand(Origin.LOCAL, proposalId, null, command);
    }

    static BufferedCommand remote(boolean fromMember, RecentRequests.Key key, byte[] command) {
        return new BufferedCommand(fromMember ? Origin.MEMBER : Origin.CLIENT, 0, key, command);
    }
}
