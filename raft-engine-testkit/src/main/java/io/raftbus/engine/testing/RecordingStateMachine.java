package io.raftbus.engine.testing;

import io.raftbus.engine.spi.StateMachine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small state machine for tests: appends every command (as UTF-8 text) to a list and returns the number of
 * commands applied so far, as decimal text. Checks that indexes strictly increase. Safe to read from any thread.
 */
public final class RecordingStateMachine implements StateMachine {

    private final List<String> applied = new ArrayList<>();
    private final List<Long> indexes = new ArrayList<>();

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        if (!indexes.isEmpty() && index <= indexes.get(indexes.size() - 1)) {
            throw new IllegalStateException("index " + index + " applied after " + indexes.get(indexes.size() - 1));
        }
        indexes.add(index);
        applied.add(new String(command, StandardCharsets.UTF_8));
        return Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8);
    }

    /** A query: the number of commands applied so far, as decimal text (any query bytes). */
    @Override
    public synchronized byte[] query(byte[] query) {
        return Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8);
    }

    /** The commands applied so far, in order. */
    public synchronized List<String> applied() {
        return List.copyOf(applied);
    }

    /** The log index of each applied command, in order. */
    public synchronized List<Long> indexes() {
        return List.copyOf(indexes);
    }

    /** How many commands were applied. */
    public synchronized int size() {
        return applied.size();
    }
}
