package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Wrong paths, foreign or damaged files and a full disk end in a clear exception, and nothing is lost. */
class SqliteLogBadInputTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("node.db");
    }

    private static List<LogEntry> batch(long from, int count, int payloadBytes) {
        List<LogEntry> out = new ArrayList<>();
        Random random = new Random(from);
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[payloadBytes];
            random.nextBytes(payload);
            out.add(new LogEntry(from + i, 1, EntryType.COMMAND, payload));
        }
        return out;
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftUntouched() throws IOException {
        byte[] content = "these are somebody's notes, not a database\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        Files.write(db(), content);
        SqliteLogCorruptException e = assertThrows(SqliteLogCorruptException.class,
                () -> SqliteLog.open(db(), "c", "n"));
        assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(db()));
        assertFalse(Files.exists(dir.resolve("node.db-wal")));
    }

    @Test
    void aDamagedDatabaseIsRefused() throws IOException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 2000, 100));
        }
        long size = Files.size(db());
        try (RandomAccessFile file = new RandomAccessFile(db().toFile(), "rw")) {
            byte[] garbage = new byte[8192];
            new Random(42).nextBytes(garbage);
            file.seek(size / 2);
            file.write(garbage);
        }
        SqliteLogCorruptException e = assertThrows(SqliteLogCorruptException.class,
                () -> SqliteLog.open(db(), "c", "n", SqliteLogOptions.defaults().withIntegrityCheckOnOpen(true)));
        assertTrue(e.getMessage().contains("integrity check") || e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aDatabaseWithADamagedSchemaPageIsRefusedEvenWithoutTheIntegrityCheck() throws IOException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 10, 100));
        }
        try (RandomAccessFile file = new RandomAccessFile(db().toFile(), "rw")) {
            file.seek(100); // first page's b-tree header, right after the 100-byte file header
            file.write(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
        }
        assertThrows(SqliteLogCorruptException.class, () -> SqliteLog.open(db(), "c", "n"));
    }

    @Test
    void aTruncatedDatabaseIsRefused() throws IOException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 2000, 100));
        }
        try (RandomAccessFile file = new RandomAccessFile(db().toFile(), "rw")) {
            file.setLength(file.length() / 2); // a copy cut short, say
        }
        assertThrows(SqliteLogCorruptException.class,
                () -> SqliteLog.open(db(), "c", "n", SqliteLogOptions.defaults().withIntegrityCheckOnOpen(true)));
    }

    @Test
    void aLogWithoutItsMetadataRowIsRefused() throws SQLException {
        SqliteLog.open(db(), "c", "n").close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM raft_meta");
        }
        SqliteLogCorruptException e = assertThrows(SqliteLogCorruptException.class,
                () -> SqliteLog.open(db(), "c", "n"));
        assertTrue(e.getMessage().contains("no metadata row"), e.getMessage());
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndNotModified() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO customers (name) VALUES ('ada')");
        }
        SqliteLogCorruptException e = assertThrows(SqliteLogCorruptException.class,
                () -> SqliteLog.open(db(), "c", "n"));
        assertTrue(e.getMessage().contains("not a raftbus log"), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            assertEquals("delete", single(s, "PRAGMA journal_mode"), "journal mode unchanged");
            assertEquals("ada", single(s, "SELECT name FROM customers"));
            assertEquals("0", single(s, "PRAGMA user_version"));
        }
    }

    @Test
    void aDatabaseOfAnotherNodeOrClusterIsRefused() {
        try (SqliteLog log = SqliteLog.open(db(), "cluster-a", "n1")) {
            log.saveHardState(new HardState(5, "n1"));
            log.append(batch(1, 3, 10));
        }
        SqliteLogOwnershipException wrongNode = assertThrows(SqliteLogOwnershipException.class,
                () -> SqliteLog.open(db(), "cluster-a", "n2"));
        assertTrue(wrongNode.getMessage().contains("belongs to node 'n1' of cluster 'cluster-a'"),
                wrongNode.getMessage());
        assertThrows(SqliteLogOwnershipException.class, () -> SqliteLog.open(db(), "cluster-b", "n1"));
        try (SqliteLog log = SqliteLog.open(db(), "cluster-a", "n1")) {
            assertEquals(new HardState(5, "n1"), log.loadHardState());
            assertEquals(3, log.lastIndex());
        }
    }

    @Test
    void aSchemaNewerThanTheCodeIsRefusedAndLeftAsItIs() throws SQLException {
        SqliteLog.open(db(), "c", "n").close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.LATEST + 1));
        }
        SqliteLogSchemaException e = assertThrows(SqliteLogSchemaException.class,
                () -> SqliteLog.open(db(), "c", "n"));
        assertTrue(e.getMessage().contains("schema version " + (Schema.LATEST + 1)), e.getMessage());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            assertEquals(String.valueOf(Schema.LATEST + 1), single(s, "PRAGMA user_version"));
        }
    }

    @Test
    void aMissingDirectoryIsReportedAndNotCreated() {
        Path missing = dir.resolve("no-such-dir").resolve("node.db");
        SqliteLogStorageException e = assertThrows(SqliteLogStorageException.class,
                () -> SqliteLog.open(missing, "c", "n"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(missing.getParent()));
    }

    @Test
    void aParentThatIsAFileIsReported() throws IOException {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        assertThrows(SqliteLogStorageException.class, () -> SqliteLog.open(notADir.resolve("node.db"), "c", "n"));
    }

    @Test
    void aReadOnlyDirectoryIsReported() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        try {
            if (Files.isWritable(readOnly)) { // root ignores permissions; an immutable directory stops root too
                immutable = chattr("+i", readOnly);
            }
            assumeFalse(Files.isWritable(readOnly), "cannot make a directory read-only for this user here");
            SqliteLogStorageException e = assertThrows(SqliteLogStorageException.class,
                    () -> SqliteLog.open(readOnly.resolve("node.db"), "c", "n"));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        } finally {
            if (immutable) {
                chattr("-i", readOnly);
            }
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Runs {@code chattr flag path}; whether it worked (the tool or the file system may not support it). */
    private static boolean chattr(String flag, Path path) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(TestDeadlines.seconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aSecondLogOnTheSameFileIsRefused() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            SqliteLogStorageException e = assertThrows(SqliteLogStorageException.class,
                    () -> SqliteLog.open(db(), "c", "n"));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            log.append(batch(1, 1, 10));
            assertEquals(1, log.lastIndex());
        }
        SqliteLog.open(db(), "c", "n").close();
    }

    @Test
    void blankIdsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SqliteLog.open(db(), " ", "n"));
        assertThrows(IllegalArgumentException.class, () -> SqliteLog.open(db(), "c", null));
        assertFalse(Files.exists(db()));
    }

    @Test
    void aFullDiskFailsTheAppendAndTheLogStaysConsistent() {
        List<LogEntry> first = batch(1, 50, 100);
        List<LogEntry> big = batch(51, 500, 1000);
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.saveHardState(new HardState(1, "n"));
            log.append(first);
            log.limitDatabasePages(log.pageCount());

            SqliteLogStorageException e = assertThrows(SqliteLogStorageException.class, () -> log.append(big));
            assertTrue(e.getMessage().contains("full"), e.getMessage());
            assertFalse(e.isPermanent(), "a full disk is transient: a node carries on");
            assertEquals(50, log.lastIndex());
            assertEquals(1, log.termAt(50));
            assertEquals(first, log.read(1, 51, Long.MAX_VALUE));
            log.saveHardState(new HardState(2, null)); // no growth needed: still possible

            log.limitDatabasePages(1_000_000);
            log.append(big);
            assertEquals(550, log.lastIndex());
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(new HardState(2, null), log.loadHardState());
            assertEquals(550, log.lastIndex());
            assertEquals(big, log.read(51, 551, Long.MAX_VALUE));
        }
    }

    @Test
    void anAppendThatFailsHalfwayLeavesNothingOfItsBatch() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            log.append(batch(1, 5, 10));
            log.limitDatabasePages(log.pageCount());
            // the first entries of this batch fit in the free space of the last page, the rest does not
            assertThrows(SqliteLogStorageException.class, () -> log.append(batch(6, 200, 500)));
            log.limitDatabasePages(1_000_000);
            assertEquals(5, log.lastIndex());
            assertThrows(IndexOutOfBoundsException.class, () -> log.termAt(6));
            log.append(batch(6, 1, 10));
        }
        try (SqliteLog log = SqliteLog.open(db(), "c", "n")) {
            assertEquals(6, log.lastIndex());
            assertEquals(batch(6, 1, 10), log.read(6, 7, Long.MAX_VALUE));
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
