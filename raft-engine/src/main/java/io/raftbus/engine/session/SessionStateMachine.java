package io.raftbus.engine.session;

import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.StateSnapshot;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Wraps the application's {@link StateMachine} with the replicated {@link SessionTable}: every command is a
 * {@link SessionEnvelope}; the application sees only the payload of a (session, seq) applied for the first time, and
 * every submitter gets a {@link SessionReply} (the first application's result for a retry). Queries go to the
 * application unchanged.
 *
 * <p>Snapshots are composite, one versioned format: magic {@code "RBS1"}, format version, the session table, then the
 * application's own snapshot bytes to the end. Restoring replaces both.
 *
 * <p>The application's state machine must be in memory (rebuilt from snapshots and the log,
 * {@link StateMachine#lastAppliedIndex()} 0): the table is, so a durable application state would resume after entries
 * whose session bookkeeping was lost. Refused at construction otherwise.
 */
public final class SessionStateMachine implements StateMachine {

    private static final int MAGIC = 0x52425331; // "RBS1"
    private static final int FORMAT_VERSION = 1;

    private final StateMachine application;
    private SessionTable table;

    /**
     * @param application the application's state machine (in memory)
     * @param idleTimeoutMs how long, in log time, a session may stay idle before it expires; every node of the
     *                      cluster must use the same value
     * @throws IllegalArgumentException the application's state machine is durable (lastAppliedIndex above 0)
     */
    public SessionStateMachine(StateMachine application, long idleTimeoutMs) {
        this.application = Objects.requireNonNull(application, "application");
        if (application.lastAppliedIndex() != 0) {
            throw new IllegalArgumentException("client sessions need an in-memory state machine (lastAppliedIndex 0),"
                    + " but " + application.getClass().getName() + " reports " + application.lastAppliedIndex()
                    + ": the session table would not survive a restart with it");
        }
        this.table = new SessionTable(idleTimeoutMs);
    }

    /** The application's state machine. */
    public StateMachine application() {
        return application;
    }

    /** The session table (for status and tests; modify only through {@link #apply}). */
    public SessionTable table() {
        return table;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        return table.apply(index, command, application::apply).encode();
    }

    @Override
    public byte[] query(byte[] query) {
        return application.query(query);
    }

    @Override
    public StateSnapshot captureSnapshot() {
        StateSnapshot app = application.captureSnapshot();
        SessionTable captured = table.copy();
        return new StateSnapshot() {
            @Override
            public void writeTo(OutputStream out) throws IOException {
                DataOutputStream data = new DataOutputStream(out);
                data.writeInt(MAGIC);
                data.writeInt(FORMAT_VERSION);
                captured.writeTo(data);
                data.flush();
                app.writeTo(out);
            }

            @Override
            public void release() {
                app.release();
            }
        };
    }

    @Override
    public void restoreSnapshot(SnapshotInfo snapshot, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.readInt();
        int version = data.readInt();
        if (magic != MAGIC || version != FORMAT_VERSION) {
            throw new IOException("snapshot " + snapshot + " is not a client-session snapshot of format "
                    + FORMAT_VERSION + " (magic " + Integer.toHexString(magic) + ", version " + version
                    + "): was it taken with sessions off?");
        }
        SessionTable restored = new SessionTable(idleTimeoutMs());
        restored.readFrom(data);
        application.restoreSnapshot(snapshot, in);
        table = restored;
    }

    private long idleTimeoutMs() {
        return table.idleTimeoutMs();
    }
}
