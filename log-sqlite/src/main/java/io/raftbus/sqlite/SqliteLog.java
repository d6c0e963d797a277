package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A durable {@link LogAPI} in one SQLite database file per node.
 *
 * <p>One writer connection, WAL journal, {@code synchronous=FULL} unless {@link SqliteLogOptions} relaxes it (a
 * relaxed log reports {@link #isDurable()} false, and a node with peers refuses it unless told to accept the risk).
 * Every mutating method runs in one transaction (an append batch is one commit, hence one fsync) and is durable
 * when it returns; on an exception the transaction is rolled back and the log, including its in-memory caches of
 * first/last index and last term, is as before the call. After an I/O error or a detected corruption the log
 * fails-stop: that call and every later one throw a {@linkplain SqliteLogException#isPermanent() permanent}
 * exception until the node is restarted (the page cache cannot be trusted after a failed fsync), and a
 * {@code RaftNode} stops on it with a fatal error. Running out of space is not fatal: the failed write is rolled
 * back and later writes may succeed.
 *
 * <p>Compaction ({@link #compactPrefix}, {@link #installSnapshot}) records the new prefix and deletes a first batch
 * of at most 256 discarded rows in one transaction; the rest stay in the file as garbage below the prefix (never
 * read) and go a batch per later {@link #append}, so no call does work proportional to the compaction, and a crash
 * at any point leaves a consistent log. A file created by this version ({@code auto_vacuum=INCREMENTAL}) gives the
 * freed pages beyond a small reserve back to the file system a few hundred per transaction; an older file
 * ({@code auto_vacuum=NONE}) reuses them for later appends and shrinks only if an operator runs {@code VACUUM} on it
 * while the node is stopped ({@link SqliteLogInspector} shows which).
 *
 * <p>The last entries appended (up to {@value #RECENT_ENTRIES} entries and {@value #RECENT_BYTES} bytes) are also
 * kept in memory once committed ({@link RecentEntries}), so that reading back what was just appended — the
 * hand-out of a committed command, a term lookup — needs no query.
 *
 * <p>The ids of the cluster and node are stored when the file is created and checked on every open. Other
 * processes (an operator's {@code sqlite3} shell, a backup) may read the file while the node runs; a second
 * {@code SqliteLog} on the same file is refused. The application's own tables may live in the same file, updated
 * in the same transaction as the last-applied index: see {@link SqliteStateMachine}.
 *
 * <p>Not thread-safe: used from the node's event-loop thread, like every {@link LogAPI}.
 */
public final class SqliteLog implements LogAPI {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteLog.class);
    /** Discarded rows deleted per transaction: bounds the extra work a compaction adds to any one call. */
    static final int DEFAULT_GARBAGE_BATCH_ENTRIES = 256;
    /** Free pages kept for later appends to reuse before any is given back to the file system. */
    private static final long FREE_PAGES_SLACK = 256;
    /** Free pages given back per transaction at most. */
    private static final long VACUUM_PAGES_PER_CALL = 256;
    /** How many of the last appended entries are kept in memory for reads, at most. */
    static final int RECENT_ENTRIES = 1024;
    /** How many bytes of the last appended entries are kept in memory for reads, at most. */
    static final long RECENT_BYTES = 4L << 20;

    private final Path file;
    private final WriterConnection db;
    private final FileLock lock;
    private final Durability durability;
    private final RecentEntries recent = new RecentEntries(RECENT_ENTRIES, RECENT_BYTES);

    private HardState hardState;
    private SnapshotMeta snapshot;
    private long lastIndex;
    private long lastTerm;
    private long lastApplied;
    /** Rows [garbageFrom, garbageThrough] are at or below the snapshot: garbage, deleted a batch per append. */
    private long garbageFrom;
    private long garbageThrough;
    private int garbageBatchEntries = DEFAULT_GARBAGE_BATCH_ENTRIES;
    private final boolean incrementalVacuum;
    /** Whether free pages beyond the slack remain to be given back (a hint: a rolled-back call only delays it). */
    private boolean reclaimPending;
    private boolean closed;

    private SqliteLog(Path file, WriterConnection db, FileLock lock, Durability durability) throws SQLException {
        this.file = file;
        this.db = db;
        this.lock = lock;
        this.durability = durability;
        this.incrementalVacuum = db.pragma("auto_vacuum") == 2; // INCREMENTAL: a file created by this version
        loadState(db.sql());
    }

    /** Opens (creating if absent) the log of {@code nodeId} in {@code clusterId}, with durable defaults. */
    public static SqliteLog open(Path dbFile, String clusterId, String nodeId) {
        return open(dbFile, clusterId, nodeId, SqliteLogOptions.defaults());
    }

    /**
     * Opens (creating if absent) the log of {@code nodeId} in {@code clusterId}.
     *
     * @throws SqliteLogStorageException if the directory is missing or read-only, or the file is already open
     * @throws SqliteLogCorruptException if the file is not a SQLite database, is damaged, or is not a raftbus log
     * @throws SqliteLogOwnershipException if the file belongs to another node or cluster
     * @throws SqliteLogSchemaException if the file was written by a newer schema version
     */
    public static SqliteLog open(Path dbFile, String clusterId, String nodeId, SqliteLogOptions options) {
        requireId(clusterId, "clusterId");
        requireId(nodeId, "nodeId");
        Objects.requireNonNull(options, "options");
        Path file = Objects.requireNonNull(dbFile, "dbFile").toAbsolutePath().normalize();
        boolean existed = DatabaseFiles.check(file);
        FileLock lock = DatabaseFiles.lock(file);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            DatabaseSetup.configure(connection, file, options);
            DatabaseSetup.prepareSchema(connection, file, clusterId, nodeId);
            if (!existed) {
                DatabaseFiles.syncDirectory(file.getParent());
            }
            SqliteLog log = new SqliteLog(file, new WriterConnection(file, connection), lock, options.durability());
            LOG.info("opened {} for node {} of cluster {}: entries [{}, {}], {}, durability {}", file, nodeId,
                    clusterId, log.firstIndex(), log.lastIndex(), log.hardState, options.durability());
            if (!options.durability().survivesPowerLoss()) {
                LOG.warn("{} runs with durability {}: acknowledged writes can be lost on power loss (a RaftNode with"
                        + " peers refuses it unless built with unsafeAllowNonDurableLog(true))", file,
                        options.durability());
            }
            return log;
        } catch (SQLException e) {
            closeQuietly(connection);
            DatabaseFiles.unlock(lock);
            throw SqlErrors.translate(file, "open", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            DatabaseFiles.unlock(lock);
            throw e;
        }
    }

    private void loadState(LogStatements sql) throws SQLException {
        try (ResultSet rs = sql.selectMeta.executeQuery()) {
            if (!rs.next()) {
                throw new SqliteLogCorruptException(file + " has no metadata row; the file is damaged");
            }
            hardState = new HardState(rs.getLong(3), rs.getString(4));
            snapshot = new SnapshotMeta(rs.getLong(5), rs.getLong(6));
            lastApplied = rs.getLong(7);
        }
        lastIndex = snapshot.index();
        lastTerm = snapshot.term();
        sql.selectLast.setLong(1, snapshot.index());
        try (ResultSet rs = sql.selectLast.executeQuery()) {
            if (rs.next()) {
                lastIndex = rs.getLong(1);
                lastTerm = rs.getLong(2);
            }
        }
        sql.selectGarbage.setLong(1, snapshot.index());
        try (ResultSet rs = sql.selectGarbage.executeQuery()) {
            rs.next();
            garbageFrom = rs.getLong(1);
            garbageThrough = rs.wasNull() ? garbageFrom - 1 : rs.getLong(2);
        }
        sql.selectFirst.setLong(1, snapshot.index());
        try (ResultSet rs = sql.selectFirst.executeQuery()) {
            if (rs.next() && rs.getLong(1) != snapshot.index() + 1) {
                throw new SqliteLogCorruptException(file + " holds entries from index " + rs.getLong(1)
                        + " but its snapshot ends at " + snapshot.index() + "; the file is damaged");
            }
        }
    }

    @Override
    public HardState loadHardState() {
        checkUsable();
        return hardState;
    }

    @Override
    public void saveHardState(HardState state) {
        Objects.requireNonNull(state, "state");
        db.write("save term " + state.term() + " and vote " + state.votedFor(), () -> {
            LogStatements sql = db.sql();
            sql.updateHardState.setLong(1, state.term());
            sql.updateHardState.setString(2, state.votedFor());
            sql.updateHardState.executeUpdate();
            return null;
        });
        hardState = state;
    }

    @Override
    public long firstIndex() {
        checkUsable();
        return snapshot.index() + 1;
    }

    @Override
    public long lastIndex() {
        checkUsable();
        return lastIndex;
    }

    @Override
    public long termAt(long index) {
        checkUsable();
        if (index == lastIndex) {
            return lastTerm;
        }
        if (index == snapshot.index()) {
            return snapshot.term();
        }
        if (index < snapshot.index() || index > lastIndex) {
            throw new IndexOutOfBoundsException("no entry at index " + index + " (log holds [" + firstIndex() + ", "
                    + lastIndex + "])");
        }
        LogEntry held = recent.get(index);
        if (held != null) {
            return held.term();
        }
        return db.read("read the term at " + index, () -> storedTermAt(index));
    }

    private long storedTermAt(long index) throws SQLException {
        LogStatements sql = db.sql();
        sql.selectTerm.setLong(1, index);
        try (ResultSet rs = sql.selectTerm.executeQuery()) {
            if (!rs.next()) {
                throw new SqliteLogCorruptException(file + " has no entry at index " + index + " although it holds ["
                        + firstIndex() + ", " + lastIndex + "]; the file is damaged");
            }
            return rs.getLong(1);
        }
    }

    @Override
    public void append(List<LogEntry> entries) {
        checkUsable();
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return;
        }
        long expected = lastIndex + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected) {
                throw new IllegalArgumentException("append expected index " + expected + ", got " + e.index()
                        + " (log holds [" + firstIndex() + ", " + lastIndex + "])");
            }
            expected++;
        }
        LogEntry last = entries.get(entries.size() - 1);
        long deletedThrough = db.write("append entries [" + entries.get(0).index() + ", " + last.index() + "]", () -> {
            LogStatements sql = db.sql();
            for (LogEntry e : entries) {
                sql.insertEntry.setLong(1, e.index());
                sql.insertEntry.setLong(2, e.term());
                sql.insertEntry.setString(3, e.type().name());
                sql.insertEntry.setBytes(4, e.payload());
                sql.insertEntry.addBatch();
            }
            sql.insertEntry.executeBatch(); // one native call for the whole batch
            return collectGarbage(garbageFrom, garbageThrough); // a batch of a past compaction's rows, if any
        });
        lastIndex = last.index();
        lastTerm = last.term();
        garbageFrom = deletedThrough + 1;
        recent.appended(entries);
    }

    @Override
    public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
        checkUsable();
        if (fromIndex < firstIndex() || toIndexExclusive < fromIndex || toIndexExclusive > lastIndex + 1) {
            throw new IndexOutOfBoundsException("cannot read [" + fromIndex + ", " + toIndexExclusive
                    + ") from a log holding [" + firstIndex() + ", " + lastIndex + "]");
        }
        if (fromIndex == toIndexExclusive) {
            return List.of();
        }
        List<LogEntry> held = recent.read(fromIndex, toIndexExclusive, maxBytes);
        if (held != null) {
            return held;
        }
        return db.read("read entries [" + fromIndex + ", " + toIndexExclusive + ")",
                () -> readRange(fromIndex, toIndexExclusive, maxBytes));
    }

    private List<LogEntry> readRange(long fromIndex, long toIndexExclusive, long maxBytes) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        LogStatements sql = db.sql();
        sql.selectRange.setLong(1, fromIndex);
        sql.selectRange.setLong(2, toIndexExclusive);
        try (ResultSet rs = sql.selectRange.executeQuery()) {
            while (rs.next()) {
                LogEntry e = toEntry(rs);
                if (e.index() != fromIndex + out.size()) {
                    throw new SqliteLogCorruptException(file + " misses entry " + (fromIndex + out.size())
                            + "; the file is damaged");
                }
                bytes += e.sizeBytes();
                if (!out.isEmpty() && bytes > maxBytes) {
                    break;
                }
                out.add(e);
            }
        }
        if (out.isEmpty()) {
            throw new SqliteLogCorruptException(file + " misses entry " + fromIndex + "; the file is damaged");
        }
        return out;
    }

    /** An indexed query (the partial index {@code raft_entries_config}): reads no other entry. */
    @Override
    public List<LogEntry> configEntries(long fromIndex) {
        checkUsable();
        if (fromIndex < firstIndex() || fromIndex > lastIndex + 1) {
            throw new IndexOutOfBoundsException("cannot read CONFIG entries from " + fromIndex + " of a log holding ["
                    + firstIndex() + ", " + lastIndex + "]");
        }
        return db.read("read CONFIG entries from " + fromIndex, () -> {
            List<LogEntry> out = new ArrayList<>();
            LogStatements sql = db.sql();
            sql.selectConfigFrom.setLong(1, fromIndex);
            try (ResultSet rs = sql.selectConfigFrom.executeQuery()) {
                while (rs.next()) {
                    out.add(toEntry(rs));
                }
            }
            return out;
        });
    }

    private LogEntry toEntry(ResultSet rs) throws SQLException {
        String type = rs.getString(3);
        try {
            byte[] payload = rs.getBytes(4);
            return new LogEntry(rs.getLong(1), rs.getLong(2), EntryType.valueOf(type),
                    payload == null ? new byte[0] : payload);
        } catch (IllegalArgumentException e) {
            throw new SqliteLogCorruptException(file + " holds an unreadable entry at index " + rs.getLong(1)
                    + " (type '" + type + "'): " + e.getMessage(), e);
        }
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        checkUsable();
        if (fromIndex < firstIndex()) {
            throw new IndexOutOfBoundsException("cannot truncate from index " + fromIndex + " (log holds ["
                    + firstIndex() + ", " + lastIndex + "])");
        }
        if (fromIndex <= lastApplied) {
            throw new IllegalStateException("refusing to truncate from index " + fromIndex + ": the state machine"
                    + " has applied up to " + lastApplied + " (committed entries are never truncated)");
        }
        if (fromIndex > lastIndex) {
            return;
        }
        long newLastTerm = db.write("truncate entries from " + fromIndex, () -> {
            long term = fromIndex - 1 == snapshot.index() ? snapshot.term() : storedTermAt(fromIndex - 1);
            LogStatements sql = db.sql();
            sql.deleteEntriesFrom.setLong(1, fromIndex);
            sql.deleteEntriesFrom.executeUpdate();
            return term;
        });
        lastIndex = fromIndex - 1;
        lastTerm = newLastTerm;
        recent.truncateFrom(fromIndex);
    }

    @Override
    public Optional<Membership> loadMembership() {
        checkUsable();
        return db.read("load the membership", () -> {
            LogStatements sql = db.sql();
            Set<String> voters = new HashSet<>();
            Set<String> learners = new HashSet<>();
            try (ResultSet rs = sql.selectMembership.executeQuery()) {
                while (rs.next()) {
                    ("VOTER".equals(rs.getString(2)) ? voters : learners).add(rs.getString(1));
                }
            }
            return voters.isEmpty() ? Optional.empty() : Optional.of(new Membership(voters, learners));
        });
    }

    @Override
    public void saveMembership(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        db.write("save " + membership, () -> {
            db.sql().deleteMembership.executeUpdate();
            insertMembers(membership.voters(), "VOTER");
            insertMembers(membership.learners(), "LEARNER");
            return null;
        });
    }

    private void insertMembers(Set<String> ids, String role) throws SQLException {
        LogStatements sql = db.sql();
        for (String id : new TreeSet<>(ids)) {
            sql.insertMember.setString(1, id);
            sql.insertMember.setString(2, role);
            sql.insertMember.executeUpdate();
        }
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        checkUsable();
        return snapshot;
    }

    /**
     * Discards the entries through {@code throughIndex}, which a durable snapshot covers. The new prefix is recorded
     * in the same transaction as the deletion of a first batch of at most 256 discarded entries; the
     * rest of the discarded rows stay in the file as garbage (never read: everything at or below the prefix is out
     * of the log) and go a batch at a time with each later {@link #append}, so that no call does work proportional
     * to the size of the compaction. A crash at any point leaves the prefix either old or new, and any garbage is
     * collected after the restart the same way.
     */
    @Override
    public void compactPrefix(long throughIndex, long throughTerm) {
        checkUsable();
        if (throughIndex <= snapshot.index()) {
            return;
        }
        if (throughIndex > lastIndex) {
            throw new IllegalArgumentException("cannot compact through index " + throughIndex + ": the log ends at "
                    + lastIndex);
        }
        long term = termAt(throughIndex);
        if (term != throughTerm) {
            throw new IllegalArgumentException("entry " + throughIndex + " has term " + term + ", not " + throughTerm);
        }
        SnapshotMeta next = new SnapshotMeta(throughIndex, throughTerm);
        long from = garbageFrom <= garbageThrough ? garbageFrom : firstIndex();
        long deletedThrough = db.write("compact entries through " + throughIndex, () -> {
            recordSnapshot(next);
            return collectGarbage(from, throughIndex);
        });
        snapshot = next;
        garbageFrom = deletedThrough + 1;
        garbageThrough = throughIndex;
        recent.discardThrough(throughIndex);
    }

    /**
     * Makes the log continue after a snapshot received from the leader, in one transaction (see
     * {@link LogAPI#installSnapshot}). If the log holds the snapshot's last entry with its term, this is
     * {@link #compactPrefix}. Otherwise the entries after the snapshot's index are deleted and the ones at or below
     * it become garbage, collected as after a compaction.
     */
    @Override
    public void installSnapshot(SnapshotMeta meta) {
        checkUsable();
        Objects.requireNonNull(meta, "meta");
        if (meta.index() <= snapshot.index()) {
            return;
        }
        if (meta.term() < 1) {
            throw new IllegalArgumentException("snapshot term must be >= 1, got " + meta);
        }
        if (meta.index() <= lastIndex && termAt(meta.index()) == meta.term()) {
            compactPrefix(meta.index(), meta.term());
            return;
        }
        long oldFirst = garbageFrom <= garbageThrough ? garbageFrom : firstIndex();
        long oldLast = lastIndex;
        long rowsThrough = Math.min(oldLast, meta.index());
        long deletedThrough = db.write("install a snapshot through " + meta.index(), () -> {
            recordSnapshot(meta);
            if (oldLast > meta.index()) { // a conflicting suffix: nothing of it may survive
                deleteBetween(meta.index() + 1, oldLast);
            }
            return collectGarbage(oldFirst, rowsThrough);
        });
        snapshot = meta;
        lastIndex = meta.index();
        lastTerm = meta.term();
        garbageFrom = deletedThrough + 1;
        garbageThrough = rowsThrough;
        recent.clear();
    }

    private void recordSnapshot(SnapshotMeta meta) throws SQLException {
        LogStatements sql = db.sql();
        sql.updateSnapshot.setLong(1, meta.index());
        sql.updateSnapshot.setLong(2, meta.term());
        sql.updateSnapshot.executeUpdate();
    }

    /**
     * Deletes the first batch of the garbage rows [{@code from}, {@code through}] and gives a bounded number of free
     * pages beyond a slack back to the file system (on a file with incremental auto-vacuum, until none are left
     * beyond the slack); returns the last index deleted ({@code from - 1} if none). Runs inside the caller's
     * transaction.
     */
    private long collectGarbage(long from, long through) throws SQLException {
        long end = from - 1;
        if (from <= through) {
            end = Math.min(through, from + garbageBatchEntries - 1);
            deleteBetween(from, end);
            reclaimPending = incrementalVacuum;
        }
        if (reclaimPending) {
            reclaimPending = reclaimFreePages();
        }
        return end;
    }

    /** Gives free pages beyond the slack back, a bounded number; returns whether more remain to give back. */
    private boolean reclaimFreePages() throws SQLException {
        long excess = db.pragmaInWork("freelist_count") - FREE_PAGES_SLACK;
        if (excess > 0) {
            db.incrementalVacuum(Math.min(excess, VACUUM_PAGES_PER_CALL));
        }
        return excess > VACUUM_PAGES_PER_CALL;
    }

    private void deleteBetween(long from, long through) throws SQLException {
        LogStatements sql = db.sql();
        sql.deleteEntriesBetween.setLong(1, from);
        sql.deleteEntriesBetween.setLong(2, through);
        sql.deleteEntriesBetween.executeUpdate();
    }

    /** How many discarded rows still wait in the file to be deleted (0 once compaction has caught up). */
    long garbageEntries() {
        checkUsable();
        return Math.max(0, garbageThrough - garbageFrom + 1);
    }

    /**
     * Whether writes survive power loss: true with {@link Durability#FULL} (the default) and {@link Durability#EXTRA},
     * false with the relaxed settings, which a {@code RaftNode} with peers then refuses unless built with
     * {@code unsafeAllowNonDurableLog(true)}.
     */
    @Override
    public boolean isDurable() {
        return durability.survivesPowerLoss();
    }

    /** Closes the database (checkpointing the WAL into it) and releases the file lock. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        db.close();
        DatabaseFiles.unlock(lock);
        LOG.debug("closed {}", file);
    }

    /** The database file (absolute). */
    public Path file() {
        return file;
    }

    // ---- for SqliteStateMachine (same package) ----

    /** The writer connection, shared with the state machine; only used from the log's thread. */
    Connection connection() {
        checkUsable();
        return db.connection();
    }

    /** The last index the state machine committed as applied (0 if none). */
    long lastApplied() {
        checkUsable();
        return lastApplied;
    }

    /**
     * Runs {@code work} (the application's table updates for entry {@code index}, which must be above the last
     * applied index) and records {@code index} as applied, in one transaction.
     */
    <T> T applyInTransaction(long index, SqlWork<T> work) {
        checkUsable();
        if (index <= lastApplied) { // gaps are normal: the runtime applies COMMAND entries only, not NOOP/CONFIG
            throw new IllegalStateException("entry " + index + " is applied already (last applied " + lastApplied
                    + "): entries are applied once each, in increasing index order");
        }
        T result = db.write("apply entry " + index, () -> {
            T r = work.run();
            LogStatements sql = db.sql();
            sql.updateLastApplied.setLong(1, index);
            sql.updateLastApplied.executeUpdate();
            return r;
        });
        lastApplied = index;
        return result;
    }

    /**
     * Replaces the application's tables with those of the state snapshot {@code snapshotFile} (verified by the
     * caller) and records {@code index} as applied, in one transaction: after a crash the database holds the old
     * state and index or the new ones. The log's own tables are not touched.
     */
    void replaceState(long index, Path snapshotFile) {
        replaceState(index, snapshotFile, () -> null);
    }

    /** As {@link #replaceState(long, Path)}, running {@code alsoInTransaction} in the same transaction. */
    void replaceState(long index, Path snapshotFile, SqlWork<?> alsoInTransaction) {
        checkUsable();
        Connection c = db.connection();
        try (PreparedStatement attach = c.prepareStatement("ATTACH DATABASE ? AS snap")) {
            attach.setString(1, snapshotFile.toString());
            attach.execute();
        } catch (SQLException e) {
            throw SqlErrors.translate(snapshotFile, "attach a state snapshot", e);
        }
        try {
            db.write("restore the state applied through " + index, () -> {
                StateTables.dropFromMain(c);
                StateTables.copyInto(c, "snap", StateTables.objects(c, "snap"));
                alsoInTransaction.run();
                LogStatements sql = db.sql();
                sql.updateLastApplied.setLong(1, index);
                sql.updateLastApplied.executeUpdate();
                return null;
            });
            lastApplied = index;
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("DETACH DATABASE snap");
            } catch (SQLException e) {
                LOG.warn("cannot detach the state snapshot {}: {}", snapshotFile, e.getMessage());
            }
        }
    }

    /**
     * Appends {@code entry} and stores {@code state} in one transaction, for {@link MembershipRecovery}: an offline
     * rewrite must never leave the log holding an entry of a term newer than the node's current term.
     */
    void appendWithHardState(LogEntry entry, HardState state) {
        checkUsable();
        if (entry.index() != lastIndex + 1) {
            throw new IllegalArgumentException("append expected index " + (lastIndex + 1) + ", got " + entry.index());
        }
        db.write("append " + entry + " and save term " + state.term(), () -> {
            LogStatements sql = db.sql();
            sql.insertEntry.setLong(1, entry.index());
            sql.insertEntry.setLong(2, entry.term());
            sql.insertEntry.setString(3, entry.type().name());
            sql.insertEntry.setBytes(4, entry.payload());
            sql.insertEntry.executeUpdate();
            sql.updateHardState.setLong(1, state.term());
            sql.updateHardState.setString(2, state.votedFor());
            sql.updateHardState.executeUpdate();
            return null;
        });
        lastIndex = entry.index();
        lastTerm = entry.term();
        hardState = state;
        recent.appended(List.of(entry));
    }

    /** Runs {@code work} in one transaction of the writer connection (rolled back if it throws). */
    <T> T inTransaction(String what, SqlWork<T> work) {
        checkUsable();
        return db.write(what, work);
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("log " + file + " is closed");
        }
        db.checkUsable();
    }

    // ---- test hooks ----

    /**
     * Caps the database at {@code maxPages} pages ({@code PRAGMA max_page_count}, this connection only), to
     * simulate a full disk; SQLite never lowers it below the current size. Returns the cap in force.
     */
    long limitDatabasePages(long maxPages) {
        return db.pragma("max_page_count = " + maxPages);
    }

    /** The database's current size in pages. */
    long pageCount() {
        return db.pragma("page_count");
    }

    /** The database's free pages (reusable, or given back by incremental vacuum). */
    long freePages() {
        return db.pragma("freelist_count");
    }

    /** Sets how many discarded rows one transaction deletes (tests make compactions span many calls). */
    void garbageBatchEntries(int entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("entries must be >= 1, got " + entries);
        }
        garbageBatchEntries = entries;
    }

    private static void requireId(String id, String name) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + " must be a non-blank string");
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("closing the SQLite connection failed: {}", e.getMessage());
            }
        }
    }
}
