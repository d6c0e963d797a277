package io.raftbus.engine.core;

import java.util.Arrays;

/**
 * The commands a leader accepted for its next group commit, in arrival order, kept in parallel arrays (origin,
 * proposal id, request key, command bytes) that are reused from one flush to the next: no object per command.
 * Entry {@code i} is read through the accessors; {@link #clear} drops the references so the commands can be
 * collected, and keeps the capacity. The origin is kept as its ordinal in a {@code byte[]}, and a local command
 * stores no key: a local submit writes one reference (its bytes) into these long-lived arrays, as each reference
 * written into an old array costs the collector's write barrier.
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
    private static final Origin[] ORIGINS = Origin.values();

    /** Each command's {@link Origin#ordinal()}. */
    private byte[] origins = new byte[INITIAL_CAPACITY];
    private long[] proposalIds = new long[INITIAL_CAPACITY];
    private RecentRequests.Key[] keys = new RecentRequests.Key[INITIAL_CAPACITY];
    private byte[][] commands = new byte[INITIAL_CAPACITY][];
    private int size;
    /** Whether a key was stored since the last {@link #clear} (only then are there keys to drop). */
    private boolean keyed;

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
        origins[size] = (byte) origin.ordinal();
        proposalIds[size] = proposalId;
        if (key != null) {
            keys[size] = key; // a local command leaves its slot null (cleared, or never written)
            keyed = true;
        }
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
        return ORIGINS[origins[i]];
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
        if (keyed) {
            Arrays.fill(keys, 0, size, null);
            keyed = false;
        }
        Arrays.fill(commands, 0, size, null);
        size = 0;
    }
}
