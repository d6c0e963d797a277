package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a node asks for a snapshot, one at a time, and how its log is compacted behind it. */
class SnapshotPolicyTest {

    private static final Membership SOLO = Membership.ofVoters(Set.of("a"));

    private final InMemoryLog log = new InMemoryLog();
    private final InMemorySnapshotStore store = new InMemorySnapshotStore();
    private RaftCore core;
    private long proposals;
    private long now = 1;

    private static RaftConfig.Builder base() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).snapshotEveryEntries(0)
                .snapshotEveryBytes(0).logTrailingEntries(0);
    }

    /** A single node leading term 1 (its no-op at index 1 applied). */
    private void start(RaftConfig config, InMemorySnapshotStore snapshots) {
        core = new RaftCore("a", Fixtures.CLUSTER, SOLO, config, log, snapshots, 0, Fixtures.fixedTimeout(0), 0);
        core.tick(now);
        assertTrue(core.status().isLeader());
        assertNull(drive().snapshotToTake());
    }

    /** Submits one command of {@code bytes} bytes and hands everything out; returns the last Ready's request. */
    private Ready submit(int bytes) {
        core.submit(++proposals, new byte[bytes]);
        return drive();
    }

    private Ready drive() {
        Ready r = core.ready();
        Ready last = r;
        SnapshotRequest take = r.snapshotToTake();
        while (core.hasCommittedToHandOut()) {
            last = core.ready();
            take = take != null ? take : last.snapshotToTake();
        }
        return new Ready(last.messages(), last.committed(), last.failures(), last.lateAcceptances(), false,
                last.reads(), last.readAnswers(), null, take);
    }

    private SnapshotInfo write(SnapshotRequest req) throws IOException {
        SnapshotWriter w = store.create(req.index(), req.term(), req.membership());
        w.stream().write(new byte[] {1, 2, 3});
        return w.commit();
    }

    @Test
    void aSnapshotIsAskedForOnceEnoughEntriesWereAppliedAndTheLogKeepsTheTrailingWindow() throws IOException {
        start(base().snapshotEveryEntries(5).logTrailingEntries(2).build(), store);
        for (int i = 2; i <= 4; i++) {
            assertNull(submit(10).snapshotToTake(), "index " + i + ": 4 entries so far");
        }
        SnapshotRequest req = submit(10).snapshotToTake();
        assertEquals(new SnapshotRequest(5, 1, SOLO), req, "at the last applied index");
        assertNull(submit(10).snapshotToTake(), "one at a time");
        assertNull(submit(10).snapshotToTake(), "one at a time");

        core.snapshotTaken(write(req));
        RaftStatus s = core.status();
        assertEquals(5, s.snapshotIndex());
        assertEquals(4, s.firstLogIndex(), "two entries kept before the snapshot's index");
        assertEquals(4, log.firstIndex());
        assertEquals(7, s.lastLogIndex());

        for (int i = 8; i <= 9; i++) {
            assertNull(submit(10).snapshotToTake(), "index " + i);
        }
        assertEquals(10, submit(10).snapshotToTake().index(), "5 entries after the latest snapshot");
    }

    @Test
    void aSnapshotIsAskedForOnceEnoughBytesWereApplied() {
        start(base().snapshotEveryBytes(1_000).build(), store);
        long bytes = 0;
        long size = new LogEntry(2, 1, io.raftbus.engine.spi.EntryType.COMMAND, new byte[300]).sizeBytes();
        Ready r;
        do {
            bytes += size;
            r = submit(300);
        } while (r.snapshotToTake() == null && bytes < 10_000);
        assertNotNull(r.snapshotToTake());
        assertTrue(bytes >= 1_000 && bytes - size < 1_000, "asked for at the first entry reaching the threshold: "
                + bytes);
    }

    @Test
    void aFailedSnapshotIsRetriedOnlyAfterTheBackOff() {
        RaftConfig config = base().snapshotEveryEntries(3).build();
        start(config, store);
        submit(10);
        SnapshotRequest req = submit(10).snapshotToTake();
        assertEquals(3, req.index());
        core.snapshotFailed(3, "disk full (test)");
        assertNull(submit(10).snapshotToTake(), "no retry at once");
        now += config.electionTimeoutMaxMs();
        core.tick(now);
        assertEquals(4, drive().snapshotToTake().index(), "retried after the back-off");
    }

    @Test
    void aFailedSnapshotIsRetriedOnceAnotherThresholdOfEntriesWasApplied() {
        start(base().snapshotEveryEntries(3).build(), store);
        submit(10);
        assertEquals(3, submit(10).snapshotToTake().index());
        core.snapshotFailed(3, "disk full (test)");
        assertNull(submit(10).snapshotToTake());
        assertNull(submit(10).snapshotToTake());
        assertEquals(6, submit(10).snapshotToTake().index(), "3 more entries since the failed one");
    }

    @Test
    void aSnapshotCanBeAskedForOnDemand() throws IOException {
        start(base().build(), store);
        submit(10);
        submit(10);
        assertEquals(3, core.requestSnapshot());
        SnapshotRequest req = drive().snapshotToTake();
        assertEquals(3, req.index());
        assertEquals(0, core.requestSnapshot(), "one is being taken");
        core.snapshotTaken(write(req));
        assertEquals(0, core.requestSnapshot(), "nothing applied since");
        assertEquals(4, log.firstIndex());
    }

    @Test
    void withoutAStoreNoSnapshotIsEverAskedForAndTheLogIsNotCompacted() {
        start(base().snapshotEveryEntries(1).snapshotEveryBytes(1).build(), null);
        List<SnapshotRequest> asked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SnapshotRequest r = submit(100).snapshotToTake();
            if (r != null) {
                asked.add(r);
            }
        }
        assertEquals(List.of(), asked);
        assertEquals(0, core.status().snapshotIndex());
        assertEquals(1, core.status().firstLogIndex());
        assertThrows(IllegalStateException.class, () -> core.requestSnapshot());
    }

    @Test
    void aStartAfterCompactionContinuesFromTheStoresLatestSnapshot() throws IOException {
        start(base().snapshotEveryEntries(4).build(), store);
        submit(10);
        submit(10);
        SnapshotRequest req = submit(10).snapshotToTake();
        core.snapshotTaken(write(req));
        assertEquals(5, log.firstIndex());
        assertThrows(IllegalStateException.class, () -> new RaftCore("a", Fixtures.CLUSTER, SOLO,
                base().build(), log, store, 2, Fixtures.fixedTimeout(0), 0), "applied less than compacted");
        RaftCore restarted = new RaftCore("a", Fixtures.CLUSTER, SOLO, base().build(), log, store, 4,
                Fixtures.fixedTimeout(0), 0);
        assertEquals(4, restarted.status().snapshotIndex());
        assertEquals(5, restarted.status().firstLogIndex());
        assertEquals(4, restarted.status().lastApplied());
    }

    @Test
    void aSnapshotStoreNeedsALogThatCanBeCompacted() {
        io.raftbus.engine.spi.LogAPI plain = new io.raftbus.engine.spi.ForwardingLog(log) {
            @Override
            public void compactPrefix(long throughIndex, long throughTerm) {
                throw io.raftbus.engine.spi.LogAPI.compactionNotSupported();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RaftCore("a",
                Fixtures.CLUSTER, SOLO, base().build(), plain, store, 0, Fixtures.fixedTimeout(0), 0));
        assertTrue(e.getMessage().contains("cannot be compacted"), e.getMessage());
        new RaftCore("a", Fixtures.CLUSTER, SOLO, base().build(), plain, null, 0, Fixtures.fixedTimeout(0), 0);
    }

    @Test
    void noSnapshotIsTakenByThresholdWhileATransferIsLiveButOneIsOnDemand() {
        SnapshotPolicy policy = new SnapshotPolicy(base().snapshotEveryEntries(5).build(), index -> SOLO, 0);
        assertNull(policy.next(10, 1, now, true), "the threshold is reached, but a live transfer defers it");
        assertEquals(new SnapshotRequest(10, 1, SOLO), policy.next(10, 1, now, false), "taken once it is over");
        policy.taken(10);
        assertNull(policy.next(20, 1, now, true), "deferred again");
        assertTrue(policy.requestNow(20));
        assertEquals(new SnapshotRequest(20, 1, SOLO), policy.next(20, 1, now, true), "on demand: not deferred");
    }

    @Test
    void aTransferIsLiveWhileItsFollowerAcknowledgesMoreOfItNotWhileItIsOnlyResent() {
        long window = 1_000;
        SnapshotInfo snapshot = new SnapshotInfo(50, 1, SOLO, 1_000, 7);
        assertTrue(new SnapshotTransfer(snapshot, 0, true).live(999, window), "started to a follower heard from");
        SnapshotTransfer t = new SnapshotTransfer(snapshot, 0, false);
        assertTrue(!t.live(0, window), "started to a follower not heard from (down or cut off): not live");
        t.rewind(500);
        assertTrue(!t.live(500, window), "resending chunks is no progress");
        t.acknowledged(128, 1_600);
        assertTrue(t.live(2_599, window), "the follower acknowledged more of it");
        assertEquals(128, t.sentOffset, "sent at least up to what it holds");
        assertTrue(!t.live(2_600, window), "and then nothing more");
    }
}
