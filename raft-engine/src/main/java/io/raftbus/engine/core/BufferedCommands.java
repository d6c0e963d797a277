package io.raftbus.engine.core;

import java.util.Arrays;

/**
 * The commands a leader accepted for its next group commit, in arrival order, kept in parallel arrays (origin,
 * proposal id, request key, command bytes) that are reused from one flush to the next: no object per command.
 * Entry {@code i} is read through the accessors; {@link #clear} drops the references so the commands can be
 * collected, and keeps the capacity.
 */
final class BufferedCommands {

    /** Who proposed a buffered command. */
    enum Origin {
        /** {@code submit} on this (leader) node. */
        LOCAL,
        /** A member forwarded it; it gets ACCEPTED once the entry is durable. */
        MEMBER,
        /** An external client sent it; it gets APPLIED once applied. */
        CLIENT
    }

    private static final int INITIAL_CAPACITY = 64;

    private Origin[] origins = new Origin[INITIAL_CAPACITY];
    private long[] proposalIds = new long[INITIAL_CAPACITY];
    private RecentRequests.Key[] keys = new RecentRequests.Key[INITIAL_CAPACITY];
    private byte[][] commands = new byte[INITIAL_CAPACITY][];
    private int size;

    /** Buffers a local submit with the caller's proposal id. */
    void addLocal(long proposalId, byte[] command) {
        add(Origin.LOCAL, proposalId, null, command);
    }

    /** Buffers a member's or an external client's command, known by its sender and request id. */
    void addRemote(boolean fromMember, RecentRequests.Key key, byte[] command) {
        add(fromMember ? Origin.MEMBER : Origin.CLIENT, 0, key, command);
    }

    private void add(Origin origin, long proposalId, RecentRequests.Key key, byte[] command) {
        if (size == origins.length) {
            int capacity = size * 2;
            origins = Arrays.copyOf(origins, capacity);
            proposalIds = Arrays.copyOf(proposalIds, capacity);
            keys = Arrays.copyOf(keys, capacity);
            commands = Arrays.copyOf(commands, capacity);
        }
        origins[size] = origin;
        proposalIds[size] = proposalId;
        keys[size] = key;
        commands[size] = command;
        size++;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Origin origin(int i) {
        return origins[i];
    }

    /** For {@link Origin#LOCAL}: the caller's proposal id. */
    long proposalId(int i) {
        return proposalIds[i];
    }

    /** For {@link Origin#MEMBER} and {@link Origin#CLIENT}: sender and request id. */
    RecentRequests.Key key(int i) {
        return keys[i];
    }

    byte[] command(int i) {
        return commands[i];
    }

    /** Empties the buffer, keeping its capacity; the references are dropped. */
    void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(commands, 0, size, null);
        size = 0;
    }
}
