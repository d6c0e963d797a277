package io.raftbus.sqlite;

import io.raftbus.engine.spi.StateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of a {@link SqliteStateMachine}'s tables, captured on the event loop and written on the snapshot thread.
 *
 * <p>Capturing opens a second connection, whose main database is a new, empty file beside the log's, attaches the
 * log's database as {@code src} and starts a read transaction there: in WAL mode that pins the state as of the last
 * commit (the last applied entry) while the log's connection goes on writing. {@link #writeTo} then copies the
 * application's tables (not the log) into the new file with the applied index in a {@code raft_snapshot} table,
 * ends the read transaction and streams the file, which is a SQLite database of its own. While a capture is open
 * the log's WAL cannot be checkpointed past it, so it grows until the capture is written or released.
 */
final class SqliteStateSnapshot implements StateSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStateSnapshot.class);

    /** The format of the snapshot file: a SQLite database holding the state and this table. */
    static final int FORMAT = 1;
    static final String META_TABLE = "raft_snapshot";

    private final Path logFile;
    private final Path file;
    private final long appliedIndex;
    private Connection connection;
    private boolean used;

    private SqliteStateSnapshot(Path logFile, Path file, Connection connection, long appliedIndex) {
        this.logFile = logFile;
        this.file = file;
        this.connection = connection;
        this.appliedIndex = appliedIndex;
    }

    /** Pins the state of {@code logFile} as of now, which must have {@code expectedApplied} as applied index. */
    static SqliteStateSnapshot capture(Path logFile, long expectedApplied) {
        Path file = null;
        Connection c = null;
        try {
            file = temporaryFile(logFile, "capture");
            c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000"); // a reader waits only while the WAL is being recovered
                s.execute("PRAGMA journal_mode = OFF"); // a scratch file: the snapshot store makes it durable
                s.execute("PRAGMA synchronous = OFF");
                try (PreparedStatement attach = c.prepareStatement("ATTACH DATABASE ? AS src")) {
                    attach.setString(1, logFile.toString());
                    attach.execute();
                }
                s.execute("BEGIN");
                try (ResultSet rs = s.executeQuery("SELECT last_applied FROM src.raft_meta WHERE id = 1")) {
                    long applied = rs.next() ? rs.getLong(1) : -1; // this read pins the state
                    if (applied != expectedApplied) {
                        throw new IllegalStateException("the database of " + logFile + " shows " + applied
                                + " as applied, the log " + expectedApplied + ": capture from the log's thread");
                    }
                }
            }
            return new SqliteStateSnapshot(logFile, file, c, expectedApplied);
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(c);
            deleteQuietly(file);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw e instanceof SQLException sql ? SqlErrors.translate(logFile, "capture a state snapshot", sql)
                    : new SqliteLogStorageException("cannot capture a state snapshot beside " + logFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** The applied index the captured state covers. */
    long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (used || connection == null) {
            throw new IllegalStateException("this snapshot was written or released already");
        }
        used = true;
        try {
            try (Statement s = connection.createStatement()) {
                StateTables.copyInto(connection, "src", StateTables.objects(connection, "src"));
                s.execute("CREATE TABLE " + META_TABLE + " (id INTEGER PRIMARY KEY CHECK (id = 1),"
                        + " format INTEGER NOT NULL, applied_index INTEGER NOT NULL)");
                s.execute("INSERT INTO " + META_TABLE + " (id, format, applied_index) VALUES (1, " + FORMAT + ", "
                        + appliedIndex + ")");
                s.execute("COMMIT"); // ends the read transaction on the log's database too
                s.execute("DETACH DATABASE src");
            }
            connection.close();
            connection = null;
            Files.copy(file, out);
        } catch (SQLException e) {
            throw new IOException("cannot write the snapshot of " + logFile + " at index " + appliedIndex + ": "
                    + e.getMessage(), e);
        } finally {
            release();
        }
    }

    @Override
    public void release() {
        closeQuietly(connection); // rolls the read transaction back
        connection = null;
        deleteQuietly(file);
    }

    /** A new scratch file beside {@code logFile} (same file system, so space is where the log's is). */
    static Path temporaryFile(Path logFile, String purpose) throws IOException {
        return Files.createTempFile(logFile.toAbsolutePath().getParent(), prefix(logFile) + purpose + "-", ".tmp");
    }

    /** Deletes scratch files a crash left beside {@code logFile}; none of them is ever read again. */
    static void deleteLeftovers(Path logFile) {
        Path dir = logFile.toAbsolutePath().getParent();
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix(logFile) + "*.tmp")) {
            files.forEach(leftovers::add);
        } catch (IOException e) {
            LOG.warn("cannot list {} for scratch files: {}", dir, e.getMessage());
        }
        for (Path f : leftovers) {
            LOG.info("deleting {}, a state snapshot's scratch file left by an earlier run", f);
            deleteQuietly(f);
        }
    }

    /**
     * Checks that {@code file} is a snapshot this class wrote, of the state applied through {@code index}: a sound
     * SQLite database, of a known format, at that index.
     *
     * @throws IOException saying what is wrong
     */
    static void verify(Path file, long index) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                String verdict = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equalsIgnoreCase(verdict)) {
                    throw new IOException("the state snapshot at index " + index + " is damaged (" + verdict + ")");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT format, applied_index FROM " + META_TABLE + " WHERE id = 1")) {
                if (!rs.next()) {
                    throw new IOException("the state snapshot at index " + index + " has no metadata row");
                }
                if (rs.getInt(1) != FORMAT) {
                    throw new IOException("the state snapshot at index " + index + " has format " + rs.getInt(1)
                            + "; this raftbus reads format " + FORMAT);
                }
                if (rs.getLong(2) != index) {
                    throw new IOException("the state snapshot said to be at index " + index + " holds the state"
                            + " applied through " + rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IOException("the state snapshot at index " + index + " is not a SQLite state snapshot: "
                    + e.getMessage(), e);
        }
    }

    private static String prefix(Path logFile) {
        return logFile.getFileName() + ".state-";
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("closing a snapshot connection failed: {}", e.getMessage());
            }
        }
    }

    static void deleteQuietly(Path f) {
        if (f != null) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", f, e.getMessage());
            }
        }
    }
}
