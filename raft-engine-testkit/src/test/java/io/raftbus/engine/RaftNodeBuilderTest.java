package io.raftbus.engine;

import io.raftbus.engine.testing.RaftNodeCluster;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.SnapshotWriter;
import io.raftbus.engine.spi.StateMachine;
import io.raftbus.engine.spi.Transport;
import io.raftbus.engine.testing.RecordingStateMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building, starting and closing a {@link RaftNode}, without an election. */
class RaftNodeBuilderTest {

    private final InMemoryNetwork network = new InMemoryNetwork();

    private RaftNode.Builder complete() {
        return RaftNode.builder()
                .nodeId("n1")
                .members(Set.of("n1", "n2", "n3"))
                .clusterId("c")
                .config(RaftNodeCluster.FAST)
                .transport(network.transport("n1"))
                .log(new InMemoryLog())
                .stateMachine(new RecordingStateMachine());
    }

    @Test
    void aMissingRequiredSettingIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> complete().transport(null).build());
        assertEquals("transport is required: call transport(...) before build()", e.getMessage());
        assertThrows(IllegalStateException.class, () -> complete().nodeId(null).build());
        assertThrows(IllegalStateException.class, () -> complete().members(null).build());
        assertThrows(IllegalStateException.class, () -> complete().clusterId(null).build());
        assertThrows(IllegalStateException.class, () -> complete().log(null).build());
        assertThrows(IllegalStateException.class, () -> complete().stateMachine(null).build());
    }

    @Test
    void invalidSettingsAreRejectedWithTheReason() {
        IllegalArgumentException notMember = assertThrows(IllegalArgumentException.class,
                () -> complete().members(Set.of("n2", "n3")).build());
        assertTrue(notMember.getMessage().contains("must include this node's id n1"), notMember.getMessage());
        assertThrows(IllegalArgumentException.class, () -> complete().nodeId(" ").build());
        assertThrows(IllegalArgumentException.class, () -> complete().clusterId("").build());
        assertThrows(IllegalArgumentException.class, () -> complete().members(Set.of()).build());
    }

    @Test
    void sizeLimitsAreLoweredToFitTheTransport() {
        long limit = 64 * 1024;
        RaftNode node = complete().transport(new LimitedTransport(limit)).build();

        long budget = limit - RaftNode.TRANSPORT_HEADROOM_BYTES;
        assertEquals(budget, node.config().maxBytesPerAppend());
        assertEquals(budget - LogEntry.OVERHEAD_BYTES, node.config().maxCommandBytes());
        assertEquals(budget, node.config().snapshotChunkBytes());
        assertEquals(RaftNodeCluster.FAST.maxPendingCommands(), node.config().maxPendingCommands());
    }

    @Test
    void anUnboundedTransportKeepsTheConfiguredLimits() {
        RaftNode node = complete().build();

        assertEquals(RaftNodeCluster.FAST, node.config());
    }

    @Test
    void aTransportTooSmallForAnyCommandIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> complete().transport(new LimitedTransport(RaftNode.TRANSPORT_HEADROOM_BYTES)).build());
        assertTrue(e.getMessage().contains("message size limit"), e.getMessage());
    }

    @Test
    void closingANodeThatNeverStartedReleasesWhatItOwns() {
        InMemoryLog log = new InMemoryLog();
        RaftNode node = complete().log(log).build();

        node.close();
        node.close();

        assertThrows(IllegalStateException.class, log::lastIndex, "the node closed its log");
        IllegalStateException restart = assertThrows(IllegalStateException.class, node::start);
        assertTrue(restart.getMessage().contains("build a new RaftNode"), restart.getMessage());
    }

    @Test
    void aNodeStartsOnlyOnce() {
        RaftNode node = complete().build();
        try {
            node.start();
            assertThrows(IllegalStateException.class, node::start);
            assertEquals("n1", node.status().nodeId());
        } finally {
            node.close();
        }
    }

    @Test
    void aSnapshotStoreNeedsAStateMachineAndALogThatDoSnapshots(@TempDir Path dir) {
        LogAPI compacting = new ForwardingLog(new InMemoryLog()) {
            @Override
            public void compactPrefix(long throughIndex, long throughTerm) {
                // as a log with compaction does when asked to compact through its compacted prefix: nothing
            }
        };
        StateMachine noSnapshots = (index, command) -> new byte[0];
        IllegalArgumentException machine = assertThrows(IllegalArgumentException.class,
                () -> complete().log(compacting).stateMachine(noSnapshots).snapshotDirectory(dir).build());
        assertTrue(machine.getMessage().contains("captureSnapshot"), machine.getMessage());

        LogAPI notCompacting = new ForwardingLog(new InMemoryLog()) {
            @Override
            public void compactPrefix(long throughIndex, long throughTerm) {
                throw LogAPI.compactionNotSupported();
            }
        };
        IllegalArgumentException log = assertThrows(IllegalArgumentException.class,
                () -> complete().log(notCompacting).snapshotDirectory(dir).build());
        assertTrue(log.getMessage().contains("cannot be compacted"), log.getMessage());

        assertThrows(IllegalArgumentException.class, () -> complete().log(compacting).snapshotDirectory(dir)
                .snapshotStore(new InMemoryLikeStore()).build(), "one store, not two");
        complete().log(compacting).snapshotDirectory(dir).build().close();
    }

    @Test
    void aNodeRefusesToStartOnALogThatNoLongerBeginsAtIndexOne() {
        InMemoryLog entries = new InMemoryLog();
        entries.append(List.of(new LogEntry(1, 1, EntryType.COMMAND, new byte[0])));
        LogAPI compacted = new ForwardingLog(entries) { // as if entries before 6 had been compacted away
            @Override
            public long firstIndex() {
                return 6;
            }
        };
        RaftNode node = complete().log(compacted).build();

        IllegalStateException e = assertThrows(IllegalStateException.class, node::start);

        assertTrue(e.getMessage().contains("begins at index 6"), e.getMessage());
        assertTrue(e.getMessage().contains("no snapshot store"), e.getMessage());
        assertThrows(IllegalStateException.class, entries::lastIndex, "the refused node closed its log");
        assertTrue(node.submit(new byte[0]).isCompletedExceptionally());
    }

    @Test
    void aLogThatIsNotDurableIsRefusedWithPeersUnlessTheRiskIsAcceptedByName() {
        LogAPI notDurable = new ForwardingLog(new InMemoryLog()) {
            @Override
            public boolean isDurable() {
                return false;
            }
        };

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> complete().log(notDurable).build());

        assertTrue(e.getMessage().contains("not durable"), e.getMessage());
        assertTrue(e.getMessage().contains("unsafeAllowNonDurableLog(true)"), e.getMessage());
        complete().log(notDurable).unsafeAllowNonDurableLog(true).build().close();
        RaftNode alone = complete().members(Set.of("n1")).log(new ForwardingLog(new InMemoryLog()) {
            @Override
            public boolean isDurable() {
                return false;
            }
        }).build();
        alone.close(); // no peer can count on what it forgets
    }

    /** A transport that only reports a message-size limit. */
    /** A store that is never used: the builder refuses before. */
    private static final class InMemoryLikeStore implements SnapshotStore {
        @Override
        public Optional<SnapshotInfo> latest() {
            return Optional.empty();
        }

        @Override
        public SnapshotWriter create(long index, long term, Membership membership) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(SnapshotInfo snapshot) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private record LimitedTransport(long maxMessageBytes) implements Transport {
        @Override
        public void start(String localNodeId, Consumer<RaftMessage> inbound) {
        }

        @Override
        public void send(RaftMessage message) {
        }

        @Override
        public void close() {
        }
    }
}
