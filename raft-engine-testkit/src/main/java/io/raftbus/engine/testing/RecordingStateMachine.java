package io.raftbus.engine.testing;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small state machine for tests: appends every command (as UTF-8 text) to a list and returns the number of
 * commands applied so far, as decimal text. Checks that indexes strictly increase. Takes snapshots (the commands and
 * their indexes, copied on capture) and restores them; {@link #applyCalls()} counts only the commands applied since
 * it was created, so a test sees how much of the log a restarted node replayed. Safe to read from any thread.
 */
public final class RecordingStateMachine implements StateMachine {

    private final List<String> applied = new ArrayList<>();
    private final List<Long> indexes = new ArrayList<>();
    private long applyCalls;
    private long restoredIndex;
    private long lastIndex;

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        if (index <= lastIndex) {
            throw new IllegalStateException("index " + index + " applied after " + lastIndex);
        }
        lastIndex = index;
        applyCalls++;
        indexes.add(index);
        applied.add(new String(command, StandardCharsets.UTF_8));
        return Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8);
    }

    /** A query: the number of commands applied so far, as decimal text (any query bytes). */
    @Override
    public synchronized byte[] query(byte[] query) {
        return Integer.toString(applied.size()).getBytes(StandardCharsets.UTF_8);
    }

    /** A copy of the commands and indexes (tests' states are small), written out later. */
    @Override
    public synchronized StateSnapshot captureSnapshot() {
        List<String> commands = List.copyOf(applied);
        List<Long> at = List.copyOf(indexes);
        return out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                byte[] command = commands.get(i).getBytes(StandardCharsets.UTF_8);
                data.writeLong(at.get(i));
                data.writeInt(command.length);
                data.write(command);
            }
            data.flush();
        };
    }

    @Override
    public synchronized void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int n = data.readInt();
        List<String> commands = new ArrayList<>(n);
        List<Long> at = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            at.add(data.readLong());
            byte[] command = new byte[data.readInt()];
            data.readFully(command);
            commands.add(new String(command, StandardCharsets.UTF_8));
        }
        if (data.read() != -1) {
            throw new IOException("snapshot " + snapshot + " has bytes after its last command");
        }
        applied.clear();
        applied.addAll(commands);
        indexes.clear();
        indexes.addAll(at);
        lastIndex = snapshot.index();
        restoredIndex = snapshot.index();
    }

    /** The commands applied so far, in order (those restored from a snapshot first). */
    public synchronized List<String> applied() {
        return List.copyOf(applied);
    }

    /** The log index of each applied command, in order. */
    public synchronized List<Long> indexes() {
        return List.copyOf(indexes);
    }

    /** How many commands were applied (those restored from a snapshot included). */
    public synchronized int size() {
        return applied.size();
    }

    /** How many times {@link #apply} ran on this instance: commands replayed or applied, not restored. */
    public synchronized long applyCalls() {
        return applyCalls;
    }

    /** The index of the last snapshot restored into this instance; 0 if none. */
    public synchronized long restoredIndex() {
        return restoredIndex;
    }
}
