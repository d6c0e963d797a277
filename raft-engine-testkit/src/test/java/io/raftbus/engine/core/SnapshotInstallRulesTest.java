package io.raftbus.engine.core;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemorySnapshotStore;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotMeta;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.entry;
import static io.raftbus.engine.core.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The follower's rules for snapshot chunks: what is installed, what is dropped, and what every answer says. */
class SnapshotInstallRulesTest {

    private static final byte[] STATE = "the state up to index 5".getBytes(StandardCharsets.UTF_8);

    private final InMemoryLog log = new InMemoryLog();
    private final InMemorySnapshotStore store = new InMemorySnapshotStore();

    private static RaftConfig config() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(false)
                .checkQuorum(false).build();
    }

    private RaftCore follower(long term) {
        log.saveHardState(new HardState(term, null));
        return new RaftCore("a", CLUSTER, ABC, config(), log, store, 0, Fixtures.fixedTimeout(100), 0);
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    /** A chunk from b of {@code STATE}, snapshot at {@code index}@{@code snapTerm}, bytes [from, to). */
    private static InstallSnapshotRequest chunk(long term, long index, long snapTerm, int from, int to,
                                                long checksum) {
        return new InstallSnapshotRequest(CLUSTER, "b", "a", term, index, snapTerm, ABC, STATE.length, checksum,
                from, Arrays.copyOfRange(STATE, from, to), to == STATE.length, 7);
    }

    private static InstallSnapshotRequest chunk(long term, long index, int from, int to) {
        return chunk(term, index, term, from, to, crc(STATE));
    }

    @Test
    void aSnapshotInChunksIsInstalledAndTheLogContinuesAfterIt() {
        RaftCore a = follower(2);
        a.receive(chunk(2, 5, 0, 10));
        InstallSnapshotResponse first = only(a.ready(), InstallSnapshotResponse.class);
        assertEquals(10, first.nextOffset());
        assertFalse(first.installed());
        assertEquals(7, first.readSeq(), "the read round is echoed");
        assertEquals(Role.FOLLOWER, a.status().role());
        assertEquals("b", a.status().leaderId(), "a chunk of the term comes from its leader");

        a.receive(chunk(2, 5, 10, STATE.length));
        Ready r = a.ready();
        InstallSnapshotResponse done = only(r, InstallSnapshotResponse.class);
        assertTrue(done.installed());
        assertEquals(5, done.matchIndex());
        SnapshotInfo info = r.snapshotToRestore();
        assertEquals(new SnapshotInfo(5, 2, ABC, STATE.length, crc(STATE)), info);
        assertEquals(Optional.of(info), store.latest(), "durable in the store");
        assertEquals(new SnapshotMeta(5, 2), log.snapshotMeta());
        assertEquals(5, a.status().commitIndex());
        assertEquals(5, a.status().lastApplied());
        assertEquals(5, a.status().snapshotIndex());
        assertEquals(6, a.status().firstLogIndex());

        a.receive(append("b", "a", 2, 5, 2, 6, entry(6, 2)));
        AppendEntriesResponse next = only(a.ready(), AppendEntriesResponse.class);
        assertTrue(next.success(), "entries continue after the snapshot");
        assertEquals(6, a.status().commitIndex());
    }

    @Test
    void anAppendBelowTheCompactedPrefixIsAnsweredAsMatchingUpToTheCommitIndex() {
        RaftCore a = follower(2);
        a.receive(chunk(2, 5, 0, STATE.length));
        a.ready();
        a.receive(append("b", "a", 2, 3, 1, 5, entry(4, 1), entry(5, 2)));
        AppendEntriesResponse r = only(a.ready(), AppendEntriesResponse.class);
        assertTrue(r.success());
        assertEquals(5, r.matchIndex());
        assertEquals(5, log.lastIndex(), "nothing appended");
    }

    @Test
    void aSnapshotMatchingAnEntryKeepsTheEntriesAfterIt() {
        RaftCore a = follower(2);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            entries.add(entry(i, 2));
        }
        a.receive(append("b", "a", 2, 0, 0, 2, entries.toArray(LogEntry[]::new)));
        a.ready();
        assertEquals(2, a.status().commitIndex());
        a.receive(chunk(2, 5, 0, STATE.length));
        assertTrue(only(a.ready(), InstallSnapshotResponse.class).installed());
        assertEquals(6, log.firstIndex());
        assertEquals(8, log.lastIndex(), "the entries after the snapshot stay");
        assertEquals(5, a.status().commitIndex());
    }

    @Test
    void aSnapshotAtOrBelowTheCommitIndexIsNotInstalled() {
        RaftCore a = follower(1);
        a.receive(append("b", "a", 1, 0, 0, 5, entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1), entry(5, 1)));
        a.ready();
        assertEquals(5, a.status().commitIndex());
        a.receive(chunk(1, 4, 0, 10));
        Ready r = a.ready();
        InstallSnapshotResponse answer = only(r, InstallSnapshotResponse.class);
        assertTrue(answer.installed());
        assertEquals(5, answer.matchIndex(), "its log matches up to the commit index");
        assertNull(r.snapshotToRestore());
        assertEquals(Optional.empty(), store.latest());
        assertEquals(0, store.openWriters());
        assertEquals(1, log.firstIndex());
    }

    @Test
    void aChunkOfAnEarlierTermIsDroppedCountedAndAnsweredWithTheCurrentTerm() {
        RaftCore a = follower(3);
        a.receive(chunk(2, 5, 0, 10));
        InstallSnapshotResponse answer = only(a.ready(), InstallSnapshotResponse.class);
        assertEquals(3, answer.term(), "the sender learns it no longer leads");
        assertFalse(answer.installed());
        assertEquals(Map.of("stale-snapshot-chunk", 1L), a.dropCounts());
        assertEquals(0, store.openWriters());
        assertNull(a.status().leaderId());
    }

    @Test
    void aChecksumMismatchDiscardsEverythingAndAsksForOffsetZero() {
        RaftCore a = follower(2);
        a.receive(chunk(2, 5, 2, 0, STATE.length, crc(STATE) ^ 1));
        Ready r = a.ready();
        InstallSnapshotResponse answer = only(r, InstallSnapshotResponse.class);
        assertFalse(answer.installed());
        assertEquals(0, answer.nextOffset());
        assertNull(r.snapshotToRestore());
        assertEquals(Optional.empty(), store.latest());
        assertEquals(0, store.openWriters());
        assertEquals(SnapshotMeta.NONE, log.snapshotMeta());
    }

    @Test
    void chunksOutOfOrderAreAnsweredWithTheExpectedOffsetAndForeignOnesAreCounted() {
        RaftCore a = follower(2);
        a.receive(chunk(2, 5, 10, 20));
        assertEquals(0, only(a.ready(), InstallSnapshotResponse.class).nextOffset(), "nothing under way");
        assertEquals(Map.of("foreign-snapshot-chunk", 1L), a.dropCounts());
        a.receive(chunk(2, 5, 0, 10));
        a.ready();
        a.receive(chunk(2, 5, 0, 10));
        assertEquals(10, only(a.ready(), InstallSnapshotResponse.class).nextOffset(), "a duplicate");
        a.receive(chunk(2, 5, 15, 20));
        assertEquals(10, only(a.ready(), InstallSnapshotResponse.class).nextOffset(), "after a gap");
        a.receive(chunk(2, 4, 2, 10, 20, crc(STATE)));
        assertEquals(0, only(a.ready(), InstallSnapshotResponse.class).nextOffset(), "another snapshot");
        assertEquals(Map.of("foreign-snapshot-chunk", 2L), a.dropCounts());
        a.receive(chunk(2, 5, 10, STATE.length));
        assertTrue(only(a.ready(), InstallSnapshotResponse.class).installed(), "the one under way completes");
    }

    @Test
    void aNewLeadersChunkReplacesTheTransferUnderWay() {
        RaftCore a = follower(2);
        a.receive(chunk(2, 5, 0, 10));
        a.ready();
        InstallSnapshotRequest fromC = new InstallSnapshotRequest(CLUSTER, "c", "a", 3, 6, 3, ABC, STATE.length,
                crc(STATE), 0, STATE, true, 0);
        a.receive(fromC);
        Ready r = a.ready();
        assertTrue(only(r, InstallSnapshotResponse.class).installed());
        assertEquals(6, r.snapshotToRestore().index());
        assertEquals("c", a.status().leaderId());
        assertEquals(1, store.retained().size(), "the first one was discarded");
        assertEquals(0, store.openWriters());
    }

    @Test
    void malformedChunksAreDroppedAsMalformed() {
        RaftCore a = follower(2);
        long crc = crc(STATE);
        List<InstallSnapshotRequest> bad = List.of(
                new InstallSnapshotRequest(CLUSTER, "b", "a", 2, 5, 2, ABC, STATE.length, crc, -1, STATE, false, 0),
                new InstallSnapshotRequest(CLUSTER, "b", "a", 2, 5, 2, ABC, 3, crc, 0, STATE, true, 0),
                new InstallSnapshotRequest(CLUSTER, "b", "a", 2, 5, 2, ABC, STATE.length, crc, 0, STATE, false, 0),
                new InstallSnapshotRequest(CLUSTER, "b", "a", 2, 5, 3, ABC, STATE.length, crc, 0, STATE, true, 0),
                new InstallSnapshotRequest(CLUSTER, "b", "a", 2, 0, 2, ABC, STATE.length, crc, 0, STATE, true, 0));
        for (InstallSnapshotRequest m : bad) {
            a.receive(m);
        }
        a.receive(new InstallSnapshotResponse(CLUSTER, "b", "a", 2, 5, 2, crc, -1, false, 0, 0));
        assertTrue(a.ready().messages().isEmpty());
        assertEquals(Map.of("malformed", 6L), a.dropCounts());
        assertEquals(0, store.openWriters());
    }

    @Test
    void proposalsCoveredByAnInstalledSnapshotFailAsOutcomeUnknown() {
        RaftCore a = new RaftCore("a", CLUSTER, ABC, config(), log, store, 0, Fixtures.fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 1, true));
        assertEquals(Role.LEADER, a.status().role());
        a.submit(1, new byte[] {1});
        a.submit(2, new byte[] {2});
        a.ready();
        assertEquals(3, log.lastIndex(), "no-op and two commands, not committed");

        byte[] state = {9};
        a.receive(new InstallSnapshotRequest(CLUSTER, "b", "a", 2, 5, 2, ABC, 1, crc(state), 0, state, true, 0));
        Ready r = a.ready();
        assertEquals(5, r.snapshotToRestore().index());
        assertEquals(2, r.failures().size());
        for (ProposalFailure f : r.failures()) {
            assertInstanceOf(CommandOutcomeUnknownException.class, f.cause(), "it may be in the snapshot");
        }
        assertEquals(Role.FOLLOWER, a.status().role());
    }
}
