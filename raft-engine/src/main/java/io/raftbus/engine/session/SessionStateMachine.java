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
 * <p>The application's state machine is either in memory ({@link StateMachine#lastAppliedIndex()} 0; the table is
 * rebuilt with it from snapshots and the log) or durable and a {@link SessionStore}: then the table is loaded from
 * the store at construction, every entry's table changes are saved atomically with the application's effects and
 * the applied index ({@link SessionStore#applyWithSessions}), and a restored snapshot replaces the stored table in
 * the same unit as the state. A durable state machine that is no {@code SessionStore} is refused: its table would
 * not survive a restart that resumes past entries.
 */
public final class SessionStateMachine implements StateMachine {

    private static final int MAGIC = 0x52425331; // "RBS1"
    private static final int FORMAT_VERSION = 1;

    private final StateMachine application;
    /** The application as a durable store of the table; null for an in-memory application. */
    private final SessionStore store;
    private final long idleTimeoutMs;
    private final SessionLimits limits;
    private SessionTable table;

    /** With the {@link SessionLimits#DEFAULTS default limits}. */
    public SessionStateMachine(StateMachine application, long idleTimeoutMs) {
        this(application, idleTimeoutMs, SessionLimits.DEFAULTS);
    }

    /**
     * @param application the application's state machine: in memory, or durable and a {@link SessionStore}
     * @param idleTimeoutMs how long, in log time, a session may stay idle before it expires; every node of the
     *                      cluster must use the same value
     * @param limits the caps on sessions and held results; every node of the cluster must use the same
     * @throws IllegalArgumentException the application's state machine is durable (lastAppliedIndex above 0) but no
     *                                  {@link SessionStore}, or its stored table is inconsistent
     */
    public SessionStateMachine(StateMachine application, long idleTimeoutMs, SessionLimits limits) {
        this.application = Objects.requireNonNull(application, "application");
        this.store = application instanceof SessionStore s ? s : null;
        if (store == null && application.lastAppliedIndex() != 0) {
            throw new IllegalArgumentException("client sessions need an in-memory state machine (lastAppliedIndex 0)"
                    + " or a durable one that stores the session table (a SessionStore, such as SqliteStateMachine),"
                    + " but " + application.getClass().getName() + " reports " + application.lastAppliedIndex()
                    + " and is no SessionStore: the session table would not survive a restart with it");
        }
        this.idleTimeoutMs = idleTimeoutMs;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.table = newTable();
        if (store != null) {
            table.load(store.loadSessions());
        }
    }

    private SessionTable newTable() {
        return new SessionTable(idleTimeoutMs, limits);
    }

    /** The application's state machine. */
    public StateMachine application() {
        return application;
    }

    /** The session table (for status and tests; modify only through {@link #apply}). */
    public SessionTable table() {
        return table;
    }

    /** Whether the table is kept durably by the application ({@link SessionStore}). */
    public boolean durable() {
        return store != null;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        if (store == null) {
            return table.apply(index, command, application::apply).encode();
        }
        SessionReply[] reply = new SessionReply[1];
        try {
            store.applyWithSessions(index, app -> {
                SessionChanges changes = new SessionChanges();
                reply[0] = table.apply(index, command, app::apply, changes);
                return changes;
            });
        } catch (RuntimeException | Error e) {
            reloadAfter(e); // nothing of the entry was stored: neither may the table in memory keep it
            throw e;
        }
        return reply[0].encode();
    }

    private void reloadAfter(Throwable failure) {
        try {
            SessionTable reloaded = newTable();
            reloaded.load(store.loadSessions());
            table = reloaded;
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The application's last applied index (the table is stored with it when durable). */
    @Override
    public long lastAppliedIndex() {
        return application.lastAppliedIndex();
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
        SessionTable restored = newTable();
        restored.readFrom(data);
        if (store == null) {
            application.restoreSnapshot(snapshot, in);
        } else {
            store.restoreWithSessions(snapshot, in, restored.stored());
        }
        table = restored;
    }
}
