package io.raftbus.examples.kv;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.SqliteLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inspect} describes a node's log, even while the node holds it open. */
class InspectModeTest {

    @TempDir
    Path dir;

    private final MainRun main = new MainRun();

    private int run(String... args) {
        return main.run(args);
    }

    @Test
    void describesAnOpenLogWithItsLastEntriesDecoded() {
        try (SqliteLog log = SqliteLog.open(dir.resolve("n1.db"), "kv", "n1")) {
            log.saveHardState(new HardState(2, "n1"));
            log.append(List.of(new LogEntry(1, 1, EntryType.NOOP, new byte[0]),
                    new LogEntry(2, 1, EntryType.COMMAND, new KvCommand.Put("a", "1").encode()),
                    new LogEntry(3, 2, EntryType.NOOP, new byte[0]),
                    new LogEntry(4, 2, EntryType.COMMAND, new KvCommand.Delete("a").encode())));

            assertEquals(Main.OK, run("inspect", "--data", dir.toString(), "--node", "n1", "--entries", "3"));
        }
        String text = main.out();
        assertTrue(text.contains("node n1 of cluster kv"), text);
        assertTrue(text.contains("term 2, voted for n1"), text);
        assertTrue(text.contains("entries 1..4 (4), last term 2"), text);
        assertTrue(text.contains("commit index: not stored"), text);
        assertTrue(text.contains("2  term 1  put a 1"), text);
        assertTrue(text.contains("4  term 2  del a"), text);
        assertTrue(!text.contains("1  term 1"), "only the last 3 entries: " + text);
    }

    @Test
    void withoutNodeEveryLogInTheDirectoryIsDescribed() {
        SqliteLog.open(dir.resolve("n1.db"), "kv", "n1").close();
        SqliteLog.open(dir.resolve("n2.db"), "kv", "n2").close();
        assertEquals(Main.OK, run("inspect", "--data", dir.toString()));
        String text = main.out();
        assertTrue(text.contains("node n1 of cluster kv") && text.contains("node n2 of cluster kv"), text);
        assertTrue(text.contains("entries none"), text);
    }

    @Test
    void aMissingLogIsAFailureThatSaysSo() {
        assertEquals(Main.FAILURE, run("inspect", "--data", dir.toString(), "--node", "n9"));
        assertTrue(main.err().contains("no log for node n9"), main::err);
    }
}
