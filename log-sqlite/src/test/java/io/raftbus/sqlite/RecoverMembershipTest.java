package io.raftbus.sqlite;

import io.raftbus.engine.snapshot.FileSnapshotStore;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import io.raftbus.engine.spi.SnapshotWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of quorum-loss recovery: dry run by default, the acknowledgement flag, and every refusal. */
class RecoverMembershipTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path db() {
        return dir.resolve("n1.db");
    }

    /** n1's log: 10 commands (the last 3 of term 2), a CONFIG entry {n1, n2, n3} at 4, current term 3. */
    private void writeLog() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n1")) {
            log.saveMembership(Membership.ofVoters(Set.of("n1", "n2")));
            log.saveHardState(new HardState(3, "n2"));
            List<LogEntry> entries = new ArrayList<>();
            for (long i = 1; i <= 10; i++) {
                entries.add(i == 4
                        ? new LogEntry(i, 1, EntryType.CONFIG,
                                MembershipCodec.encode(Membership.ofVoters(Set.of("n1", "n2", "n3"))))
                        : new LogEntry(i, i <= 7 ? 1 : 2, EntryType.COMMAND, new byte[] {(byte) i}));
            }
            log.append(entries);
        }
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return RecoverMembership.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDryRunByDefaultPrintsWhatItFoundAndWouldWriteAndWritesNothing() {
        writeLog();

        assertEquals(0, run("--log", db().toString(), "--voters", "n1"), err());

        assertTrue(out().contains("current term:       3 (voted for n2)"), out());
        assertTrue(out().contains("last entry 10@2, never compacted"), out());
        assertTrue(out().contains("config in force:    Membership[voters=[n1, n2, n3], learners=[]] (CONFIG entry"
                + " at index 4)"), out());
        assertTrue(out().contains("would write:        CONFIG entry 11@6 with Membership[voters=[n1]"), out());
        assertTrue(out().contains("current term 8, no vote"), out());
        assertTrue(out().contains("dry run: nothing written"), out());
        assertUnchanged();
        assertEquals(0, run("--log", db().toString(), "--voters", "n1", "--dry-run", RecoverMembership.ACK), err());
        assertUnchanged();
    }

    @Test
    void theAcknowledgementWritesOneConfigEntryAndTheTermInOneGo() {
        writeLog();

        assertEquals(0, run("--log", db().toString(), "--voters", "n1", "--learners", "n4", "--term", "5",
                RecoverMembership.ACK), err());

        assertTrue(out().contains("wrote:              CONFIG entry 11@7"), out());
        try (SqliteLog log = SqliteLog.open(db(), "c", "n1")) {
            assertEquals(11, log.lastIndex());
            LogEntry written = log.read(11, 12, Long.MAX_VALUE).get(0);
            assertEquals(new LogEntry(11, 7, EntryType.CONFIG,
                    MembershipCodec.encode(new Membership(Set.of("n1"), Set.of("n4")))), written);
            assertEquals(new HardState(10, null), log.loadHardState());
            assertEquals(Membership.ofVoters(Set.of("n1", "n2")), log.loadMembership().orElseThrow(),
                    "the start membership stays: the node is started as before");
        }
        assertEquals(1, run("--log", db().toString(), "--voters", "n1", "--term", "5", RecoverMembership.ACK));
        assertTrue(err().contains("do not recover a node twice"), err());
    }

    @Test
    void otherSurvivorsNeedOneSharedTermAboveTheirCurrentTerms() {
        writeLog();

        assertEquals(0, run("--log", db().toString(), "--voters", "n1,n2"), err());
        assertTrue(out().contains("no --term given: 4 is the lowest this node accepts"), out());
        assertEquals(1, run("--log", db().toString(), "--voters", "n1,n2", RecoverMembership.ACK));
        assertTrue(err().contains("--term is required when the new configuration names other nodes ([n2])"), err());
        assertEquals(1, run("--log", db().toString(), "--voters", "n1,n2", "--term", "3", RecoverMembership.ACK));
        assertTrue(err().contains("--term 3 must be above this node's current term 3"), err());
        assertUnchanged();
    }

    @Test
    void aNodeLeftOutOfTheNewConfigurationIsRefused() {
        writeLog();

        assertEquals(1, run("--log", db().toString(), "--voters", "n2,n3", "--term", "9", RecoverMembership.ACK));

        assertTrue(err().contains("node n1 (the owner of"), err());
        assertUnchanged();
    }

    @Test
    void aLogInUseByARunningNodeIsRefused() {
        writeLog();
        try (SqliteLog running = SqliteLog.open(db(), "c", "n1")) {
            assertEquals(1, run("--log", db().toString(), "--voters", "n1", RecoverMembership.ACK));
            assertTrue(err().contains("is already open by another SqliteLog"), err());
            assertEquals(10, running.lastIndex());
        }
        assertUnchanged();
    }

    @Test
    void aForeignOrMissingFileIsRefusedUntouched() throws IOException, SQLException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database");
        assertEquals(1, run("--log", text.toString(), "--voters", "n1", RecoverMembership.ACK));
        assertTrue(err().contains("not a SQLite database"), err());
        assertEquals("not a database", Files.readString(text));

        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INTEGER)");
        }
        assertEquals(1, run("--log", other.toString(), "--voters", "n1", RecoverMembership.ACK));
        assertTrue(err().contains("is not a raftbus log"), err());

        assertEquals(1, run("--log", dir.resolve("missing.db").toString(), "--voters", "n1"));
        assertTrue(err().contains("does not exist"), err());
    }

    @Test
    void aBadCommandLineIsExplainedWithTheUsage() {
        assertEquals(2, run("--log", "x.db", "--voters", "n1", "--force"));
        assertTrue(err().contains("unknown argument '--force'"), err());
        assertTrue(err().contains("usage: RecoverMembership"), err());
        assertEquals(2, run("--log", "x.db"));
        assertTrue(err().contains("--voters is required"), err());
        assertEquals(2, run("--voters", "n1,,n2", "--log", "x.db"));
        assertTrue(err().contains("holds an empty id"), err());
        assertEquals(2, run("--log", "x.db", "--voters", "n1", "--term", "soon"));
        assertTrue(err().contains("--term 'soon' is not a number"), err());
        assertEquals(2, run("--log"));
        assertTrue(err().contains("--log needs a value"), err());
        assertEquals(0, run("--help"));
        assertTrue(out().contains(RecoverMembership.ACK), out());
    }

    @Test
    void aSnapshotDirectoryGivesTheConfigurationOfACompactedLogAndMustMatchIt() throws IOException {
        Membership atSnapshot = Membership.ofVoters(Set.of("n1", "n2", "n5"));
        try (SqliteLog log = SqliteLog.open(db(), "c", "n1")) {
            log.saveMembership(Membership.ofVoters(Set.of("n1", "n2")));
            log.saveHardState(new HardState(2, null));
            List<LogEntry> entries = new ArrayList<>();
            for (long i = 1; i <= 10; i++) {
                entries.add(new LogEntry(i, 2, EntryType.COMMAND, new byte[] {(byte) i}));
            }
            log.append(entries);
            log.compactPrefix(8, 2);
        }
        Path snapshots = dir.resolve("snapshots");
        try (FileSnapshotStore store = FileSnapshotStore.open(snapshots)) {
            snapshot(store, 8, atSnapshot);
        }

        assertEquals(0, run("--log", db().toString(), "--voters", "n1", "--snapshot-dir", snapshots.toString()),
                err());
        assertTrue(out().contains("config in force:    " + atSnapshot + " (snapshot at index 8)"), out());
        assertEquals(0, run("--log", db().toString(), "--voters", "n1"), err());
        assertTrue(out().contains("no snapshot directory was given"), out());

        try (FileSnapshotStore store = FileSnapshotStore.open(snapshots)) {
            snapshot(store, 12, atSnapshot); // received from a leader; the node stopped before resetting its log
        }
        assertEquals(1, run("--log", db().toString(), "--voters", "n1", "--snapshot-dir", snapshots.toString(),
                RecoverMembership.ACK));
        assertTrue(err().contains("holds a snapshot at 12@2 the log was not yet reset to"), err());
        assertEquals(1, run("--log", db().toString(), "--voters", "n1", "--snapshot-dir",
                dir.resolve("typo").toString()));
        assertTrue(err().contains("snapshot directory " + dir.resolve("typo") + " does not exist"), err());
    }

    private static void snapshot(FileSnapshotStore store, long index, Membership membership) throws IOException {
        try (SnapshotWriter writer = store.create(index, 2, membership)) {
            writer.stream().write(new byte[] {1, 2, 3});
            writer.commit();
        }
    }

    private void assertUnchanged() {
        try (SqliteLog log = SqliteLog.open(db(), "c", "n1")) {
            assertEquals(10, log.lastIndex());
            assertEquals(new HardState(3, "n2"), log.loadHardState());
        }
    }
}
