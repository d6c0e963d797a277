package io.raftbus.sqlite;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RaftListener;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.RecordingStateMachine;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real {@link RaftNode} over a {@link SqliteLog} whose file goes bad, or that a node must not run on. */
class SqliteLogUnderANodeTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);
    private static final RaftConfig CONFIG = RaftConfig.builder()
            .electionTimeoutMs(300, 600)
            .heartbeatIntervalMs(30)
            .tickIntervalMs(5)
            .build();

    @TempDir
    Path dir;

    private final List<RaftNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(RaftNode::close);
    }

    private Path db() {
        return dir.resolve("solo.db");
    }

    private RaftNode node(String id, Set<String> members, InMemoryNetwork network, LogAPI log) {
        return node(id, members, network, log, new RecordingStateMachine());
    }

    private RaftNode node(String id, Set<String> members, InMemoryNetwork network, LogAPI log,
                          StateMachine machine) {
        RaftNode node = RaftNode.builder().nodeId(id).members(members).clusterId("c").config(CONFIG)
                .transport(network.transport(id)).log(log).stateMachine(machine).randomSeed(id.hashCode()).build();
        nodes.add(node);
        return node;
    }

    private static List<LogEntry> batch(long from, int count) {
        List<LogEntry> out = new ArrayList<>();
        Random random = new Random(from);
        for (long i = from; i < from + count; i++) {
            byte[] payload = new byte[100];
            random.nextBytes(payload);
            out.add(new LogEntry(i, 1, EntryType.COMMAND, payload));
        }
        return out;
    }

    @Test
    void aLogThatFailsStopWhileTheNodeRunsStopsTheNode() throws IOException {
        try (SqliteLog log = SqliteLog.open(db(), "c", "solo")) {
            log.saveHardState(new HardState(1, "solo"));
            log.append(batch(1, 3000));
        }
        long size = Files.size(db());
        try (RandomAccessFile file = new RandomAccessFile(db().toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            file.seek(size / 2 / 4096 * 4096); // one whole page in the middle of the entries: found when read
            file.write(garbage);
        }
        RaftNode node = node("solo", Set.of("solo"), new InMemoryNetwork(), SqliteLog.open(db(), "c", "solo"));
        CompletableFuture<RaftException> reported = new CompletableFuture<>();
        node.addListener(new RaftListener() {
            @Override
            public void onFatalError(String nodeId, RaftException error) {
                reported.complete(error);
            }
        });

        SqliteLogException cause;
        try {
            // elected, it commits the whole log and reads it to apply it: the damaged page fails the read
            node.start();
            RaftException stopped = Await.result(reported, DEADLINE);
            cause = assertInstanceOf(SqliteLogException.class, stopped.getCause());
            assertTrue(stopped.getMessage().contains("log failed permanently"), stopped.getMessage());
            assertEquals(stopped, node.fatalError().orElseThrow());
        } catch (SqliteLogException atStart) {
            // or sooner: the core reads its log's CONFIG entries (the configuration in force) when it starts
            cause = atStart;
        }
        assertTrue(cause.isPermanent(), cause.toString());
        Await.until("the stopped node to release its log", () -> {
            try {
                SqliteLog.open(db(), "c", "solo").close();
                return true;
            } catch (SqliteLogStorageException stillOpen) {
                return false;
            }
        });
    }

    /**
     * A compacted log under a node that has no snapshot to serve (none configured), with a durable state machine
     * that had applied all of it: elected (the others' logs are empty), the node would meet followers that need the
     * discarded entries and die on them (it did: IndexOutOfBoundsException), so it refuses to start at all, saying
     * where the log begins (the rest of the message depends on the node's snapshot support).
     */
    @Test
    void aNodeRefusesToStartOnACompactedLogItCouldNotServeFollowersFrom() {
        Path n1File = dir.resolve("n1.db");
        try (SqliteLog log = SqliteLog.open(n1File, "c", "n1")) {
            log.saveHardState(new HardState(1, "n1"));
            log.append(batch(1, 10));
            log.compactPrefix(5, 1);
        }
        Set<String> members = Set.of("n1", "n2", "n3");
        InMemoryNetwork network = new InMemoryNetwork();
        node("n2", members, network, new InMemoryLog()).start(); // empty logs: only n1 could win an election
        node("n3", members, network, new InMemoryLog()).start();
        StateMachine appliedThrough10 = new StateMachine() {
            @Override
            public byte[] apply(long index, byte[] command) {
                return new byte[0];
            }

            @Override
            public long lastAppliedIndex() {
                return 10;
            }
        };
        RaftNode n1 = node("n1", members, network, SqliteLog.open(n1File, "c", "n1"), appliedThrough10);

        IllegalStateException refused = assertThrows(IllegalStateException.class, n1::start);

        assertTrue(refused.getMessage().contains("begins at index 6"), refused.getMessage());
        try (SqliteLog log = SqliteLog.open(n1File, "c", "n1")) { // released, and untouched
            assertEquals(6, log.firstIndex());
            assertEquals(10, log.lastIndex());
            assertEquals(new HardState(1, "n1"), log.loadHardState());
        }
    }

    @Test
    void aNodeWithPeersRefusesALogWithRelaxedDurabilityUnlessTheRiskIsAcceptedByName() {
        Set<String> members = Set.of("solo", "n2", "n3");
        SqliteLogOptions relaxed = SqliteLogOptions.defaults().withDurability(Durability.NORMAL_UNSAFE_ON_POWER_LOSS);
        try (SqliteLog log = SqliteLog.open(db(), "c", "solo", relaxed)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> node("solo", members, new InMemoryNetwork(), log));
            assertTrue(refused.getMessage().contains("unsafeAllowNonDurableLog(true)"), refused.getMessage());
        }
        RaftNode accepted = RaftNode.builder().nodeId("solo").members(members).clusterId("c").config(CONFIG)
                .transport(new InMemoryNetwork().transport("solo")).log(SqliteLog.open(db(), "c", "solo", relaxed))
                .stateMachine(new RecordingStateMachine()).unsafeAllowNonDurableLog(true).build();
        nodes.add(accepted);
        accepted.start();
        assertTrue(accepted.fatalError().isEmpty());
    }
}
