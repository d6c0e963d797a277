package io.raftbus.sqlite;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RaftListener;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.testkit.Await;
import io.raftbus.engine.testkit.RecordingStateMachine;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real {@link RaftNode} over a {@link SqliteLog} whose file goes bad, or that a node must not run on. */
class SqliteLogUnderANodeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
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

    private RaftNode node(Set<String> members, LogAPI log) {
        RaftNode node = RaftNode.builder().nodeId("solo").members(members).clusterId("c").config(CONFIG)
                .transport(new InMemoryNetwork().transport("solo")).log(log)
                .stateMachine(new RecordingStateMachine()).build();
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
        RaftNode node = node(Set.of("solo"), SqliteLog.open(db(), "c", "solo"));
        CompletableFuture<RaftException> reported = new CompletableFuture<>();
        node.addListener(new RaftListener() {
            @Override
            public void onFatalError(String nodeId, RaftException error) {
                reported.complete(error);
            }
        });

        node.start(); // elected, it commits the whole log and reads it to apply it: the damaged page fails the read

        RaftException stopped = Await.result(reported, DEADLINE);
        SqliteLogException cause = assertInstanceOf(SqliteLogException.class, stopped.getCause());
        assertTrue(cause.isPermanent(), cause.toString());
        assertTrue(stopped.getMessage().contains("log failed permanently"), stopped.getMessage());
        assertEquals(stopped, node.fatalError().orElseThrow());
        Await.until("the stopped node to release its log", () -> {
            try {
                SqliteLog.open(db(), "c", "solo").close();
                return true;
            } catch (SqliteLogStorageException stillOpen) {
                return false;
            }
        });
    }
}
