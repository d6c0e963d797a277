package io.raftbus.benchmarks.snapshot;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * An in-memory key-value state of a fixed number of slots, for the snapshot and membership benchmarks: a command's
 * first 8 bytes (little-endian) pick its slot (modulo the slot count) and the whole command becomes that slot's
 * value, so the state grows to {@code slots × command size} once every slot was written. Values are never mutated, so a capture
 * on the event loop is a copy of the slot array (references only), written out later on the snapshot thread.
 *
 * <p>Snapshot format: slot count, then for each filled slot its number, length and bytes; a restore replaces the
 * whole state. Counts captures and snapshot bytes written, for the reports.
 */
public final class SlotStateMachine implements StateMachine {

    private static final byte[] EMPTY = new byte[0];

    private byte[][] slots;
    private final AtomicLong captures = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private volatile long lastSnapshotBytes;

    public SlotStateMachine(int slotCount) {
        this.slots = new byte[slotCount][];
    }

    /** The slot a command with this key prefix lands in. */
    static long key(byte[] command) {
        long key = 0;
        for (int i = 0; i < Math.min(8, command.length); i++) {
            key |= (command[i] & 0xffL) << (8 * i);
        }
        return key;
    }

    /** A command of {@code size} bytes (at least 8) for slot {@code key}, the rest filled from {@code filler}. */
    public static byte[] command(long key, int size, long filler) {
        byte[] command = new byte[size];
        for (int i = 0; i < 8; i++) {
            command[i] = (byte) (key >>> (8 * i));
        }
        long x = filler * 0x9E3779B97F4A7C15L + key;
        for (int i = 8; i < size; i++) { // not compressible, like real values
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            command[i] = (byte) x;
        }
        return command;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        slots[(int) Math.floorMod(key(command), (long) slots.length)] = command;
        return EMPTY;
    }

    @Override
    public StateSnapshot captureSnapshot() {
        byte[][] view = slots.clone();
        captures.incrementAndGet();
        return out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            data.writeInt(view.length);
            for (int slot = 0; slot < view.length; slot++) {
                byte[] value = view[slot];
                if (value != null) {
                    data.writeInt(slot);
                    data.writeInt(value.length);
                    data.write(value);
                }
            }
            data.writeInt(-1);
            data.flush();
            bytesWritten.addAndGet(data.size());
            lastSnapshotBytes = data.size();
        };
    }

    @Override
    public void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        byte[][] restored = new byte[data.readInt()][];
        for (int slot = data.readInt(); slot >= 0; slot = data.readInt()) {
            byte[] value = new byte[data.readInt()];
            data.readFully(value);
            restored[slot] = value;
        }
        slots = restored;
    }

    /** Bytes a snapshot of the current state takes (slot headers included). */
    public long stateBytes() {
        long bytes = 8;
        for (byte[] value : slots) {
            if (value != null) {
                bytes += 8 + value.length;
            }
        }
        return bytes;
    }

    /**
     * CRC32C over every slot (number and value) of the current state; read it only when the node applies nothing
     * more (after close).
     */
    public long digest() {
        CRC32C crc = new CRC32C();
        for (int slot = 0; slot < slots.length; slot++) {
            if (slots[slot] != null) {
                crc.update(slot);
                crc.update(slots[slot]);
            }
        }
        return crc.getValue();
    }

    /** Bytes of the last snapshot this state machine wrote (0: none). */
    public long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    long captures() {
        return captures.get();
    }

    long snapshotBytesWritten() {
        return bytesWritten.get();
    }
}
