package io.raftbus.engine.core;

import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import static io.raftbus.engine.core.Fixtures.ABC;
import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static io.raftbus.engine.core.Fixtures.append;
import static io.raftbus.engine.core.Fixtures.core;
import static io.raftbus.engine.core.Fixtures.entry;
import static io.raftbus.engine.core.Fixtures.fixedTimeout;
import static io.raftbus.engine.core.Fixtures.logWithTerms;
import static io.raftbus.engine.core.Fixtures.only;
import static io.raftbus.engine.core.Fixtures.plain;
import static io.raftbus.engine.core.Fixtures.termsOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raft §5.3 (log matching, conflicts) and §5.4.2 (commitment by counting only current-term entries). */
class ReplicationRulesTest {

    @Test
    void logMatchingRejectionCarriesAConflictHint() {
        // follower log terms: 1 1 2 2
        RaftCore f = core("a", ABC, plain(), logWithTerms(3, 1, 1, 2, 2), 100);

        f.receive(append("b", "a", 3, 4, 3, 0));
        AppendEntriesResponse mismatch = only(f.ready(), AppendEntriesResponse.class);
        assertFalse(mismatch.success());
        assertEquals(4, mismatch.rejectedIndex());
        assertEquals(2, mismatch.conflictTerm(), "term of the follower's entry at prevLogIndex");
        assertEquals(3, mismatch.conflictIndex(), "first index of that term");
        assertEquals(4, mismatch.lastLogIndex());

        f.receive(append("b", "a", 3, 6, 3, 0));
        AppendEntriesResponse tooShort = only(f.ready(), AppendEntriesResponse.class);
        assertFalse(tooShort.success());
        assertEquals(6, tooShort.rejectedIndex());
        assertEquals(0, tooShort.conflictTerm());
        assertEquals(5, tooShort.conflictIndex(), "follower's last index + 1");
        assertEquals(0, f.status().commitIndex(), "no commit learned from a failed check");
    }

    @Test
    void conflictingSuffixIsTruncatedButMatchingEntriesAreNot() {
        InMemoryLog log = logWithTerms(3, 1, 1, 2, 2);
        RaftCore f = core("a", ABC, plain(), log, 100);

        f.receive(append("b", "a", 3, 2, 1, 1, entry(3, 3)));
        AppendEntriesResponse ok = only(f.ready(), AppendEntriesResponse.class);
        assertTrue(ok.success());
        assertEquals(3, ok.matchIndex());
        assertArrayEquals(new long[] {1, 1, 3}, termsOf(log));
        assertEquals(1, f.status().commitIndex(), "min(leaderCommit, last new index)");

        f.receive(append("b", "a", 3, 3, 3, 1, entry(4, 3), entry(5, 3)));
        f.ready();
        // a delayed duplicate of the first request: everything matches, nothing is truncated
        f.receive(append("b", "a", 3, 2, 1, 4, entry(3, 3)));
        AppendEntriesResponse dup = only(f.ready(), AppendEntriesResponse.class);
        assertTrue(dup.success());
        assertEquals(3, dup.matchIndex(), "match index of what the request covered, never more");
        assertEquals(5, dup.lastLogIndex());
        assertArrayEquals(new long[] {1, 1, 3, 3, 3}, termsOf(log));
        assertEquals(3, f.status().commitIndex(), "commit bounded by what the request proved to match");
    }

    @Test
    void truncatingACommittedEntryIsRefusedAsASafetyViolation() {
        InMemoryLog log = logWithTerms(2, 1, 2, 2);
        RaftCore f = core("a", ABC, plain(), log, 100);
        f.receive(append("b", "a", 2, 3, 2, 3));
        assertEquals(3, f.status().commitIndex());
        f.ready();
        assertThrows(IllegalStateException.class, () -> f.receive(append("c", "a", 3, 1, 1, 3, entry(2, 3))));
        assertArrayEquals(new long[] {1, 2, 2}, termsOf(log), "log untouched");
    }

    @Test
    void aLeaderCommitsOnlyCurrentTermEntriesByCountingReplicas() {
        // Figure 8 (c): s1 leads term 4 with 1@1 2@2; it replicates 2@2 to a majority but may not commit it
        Membership five = Membership.ofVoters(Set.of("s1", "s2", "s3", "s4", "s5"));
        InMemoryLog log = logWithTerms(3, 1, 2);
        RaftCore s1 = core("s1", five, plain(), log, 0);
        s1.tick(150);
        s1.ready();
        s1.receive(new VoteResponse(CLUSTER, "s2", "s1", 4, true));
        s1.receive(new VoteResponse(CLUSTER, "s3", "s1", 4, true));
        assertEquals(Role.LEADER, s1.status().role());
        assertEquals(4, s1.status().term());
        assertEquals(3, log.lastIndex(), "no-op 3@4 appended");
        s1.ready();

        s1.receive(success("s2", 4, 2));
        s1.receive(success("s3", 4, 2));
        assertEquals(0, s1.status().commitIndex(), "2@2 is on a majority but is not of the current term");
        assertTrue(s1.ready().committed().isEmpty());

        s1.receive(success("s2", 4, 3));
        assertEquals(0, s1.status().commitIndex(), "3@4 on s1 and s2 only");
        s1.receive(success("s3", 4, 3));
        assertEquals(3, s1.status().commitIndex(), "3@4 on a majority commits it and everything before");
        List<CommittedEntry> committed = s1.ready().committed();
        assertEquals(List.of(1L, 2L, 3L), committed.stream().map(c -> c.entry().index()).toList());
        assertEquals(EntryType.NOOP, committed.get(2).entry().type());
    }

    @Test
    void figure8AnUncommittedOldTermEntryOnAMajorityCanStillBeReplaced() {
        // Figure 8 (d): s1 (term 4) got 2@2 onto s2 and s3 and crashed before committing 3@4; s5 (last entry 2@3)
        // is elected by s2, s3, s4 and overwrites index 2 everywhere. Had s1 counted 2@2 as committed, it would have
        // been lost.
        Membership five = Membership.ofVoters(Set.of("s1", "s2", "s3", "s4", "s5"));
        Map<String, InMemoryLog> logs = new LinkedHashMap<>();
        logs.put("s2", logWithTerms(4, 1, 2));
        logs.put("s3", logWithTerms(4, 1, 2));
        logs.put("s4", logWithTerms(4, 1));
        logs.put("s5", logWithTerms(4, 1, 3)); // s5 led term 3; saw term 4; campaigns in term 5
        Map<String, RandomGenerator> random = Map.of("s2", fixedTimeout(140), "s3", fixedTimeout(140),
                "s4", fixedTimeout(140), "s5", fixedTimeout(0));
        TestCluster c = new TestCluster(plain(), five, logs, random); // s1 is down
        assertEquals("s5", c.awaitLeader(1_000));
        c.advance(500);
        for (String id : List.of("s2", "s3", "s4", "s5")) {
            assertArrayEquals(new long[] {1, 3, 5}, termsOf(c.logs.get(id)), id);
            List<CommittedEntry> applied = c.applied.get(id);
            assertEquals(3, applied.size(), id);
            assertEquals(3, applied.get(1).entry().term(), "index 2 applied with term 3 on " + id);
        }
    }

    private static AppendEntriesResponse success(String from, long term, long match) {
        return new AppendEntriesResponse(CLUSTER, from, "s1", term, true, match, 0, 0, 0, match);
    }

    // ---------------------------------------------------------------------------------------------------- Figure 7

    private static final long[] FIG7_LEADER = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};

    @Test
    void figure7FollowerAMissingEntriesIsRepaired() {
        repairFigure7Follower(new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6}, 6);
    }

    @Test
    void figure7FollowerBMissingManyEntriesIsRepaired() {
        repairFigure7Follower(new long[] {1, 1, 1, 4}, 4);
    }

    @Test
    void figure7FollowerCWithAnExtraUncommittedEntryIsRepaired() {
        repairFigure7Follower(new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, 6);
    }

    @Test
    void figure7FollowerDWithExtraEntriesOfALaterTermIsRepaired() {
        repairFigure7Follower(new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, 7);
    }

    @Test
    void figure7FollowerEWithConflictingEntriesOfAnOldTermIsRepaired() {
        repairFigure7Follower(new long[] {1, 1, 1, 4, 4, 4, 4}, 4);
    }

    @Test
    void figure7FollowerFWithManyConflictingTermsIsRepaired() {
        repairFigure7Follower(new long[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, 3);
    }

    /**
     * The leader of term 8 (log of Figure 7's top line) is elected with the vote of a third, phantom member and
     * brings the follower's log into agreement with its own, however it differs.
     */
    private static void repairFigure7Follower(long[] followerTerms, long followerTerm) {
        Membership members = Membership.ofVoters(Set.of("leader", "follower", "voter"));
        Map<String, InMemoryLog> logs = new LinkedHashMap<>();
        InMemoryLog leaderLog = logWithTerms(7, FIG7_LEADER);
        InMemoryLog followerLog = logWithTerms(followerTerm, followerTerms);
        logs.put("leader", leaderLog);
        logs.put("follower", followerLog);
        TestCluster c = new TestCluster(plain(), members, logs,
                Map.of("leader", fixedTimeout(0), "follower", fixedTimeout(149)));
        c.advance(150); // the leader campaigns in term 8
        c.core("leader").receive(new VoteResponse(CLUSTER, "voter", "leader", 8, true));
        assertEquals(Role.LEADER, c.core("leader").status().role());
        assertEquals(8, c.core("leader").status().term());
        c.advance(1_000);

        long[] expected = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 8};
        assertArrayEquals(expected, termsOf(leaderLog));
        assertArrayEquals(expected, termsOf(followerLog), "follower repaired");
        assertEquals(leaderLog.read(1, 12, Long.MAX_VALUE), followerLog.read(1, 12, Long.MAX_VALUE));
        assertEquals(11, c.core("leader").status().commitIndex());
        assertEquals(11, c.core("follower").status().commitIndex());
        assertEquals("leader", c.core("follower").status().leaderId());
    }

    @Test
    void theConflictHintSkipsAWholeTermPerRoundTrip() {
        // follower (f) of Figure 7: the leader needs few rejections, not one per entry
        Membership members = Membership.ofVoters(Set.of("leader", "follower", "voter"));
        Map<String, InMemoryLog> logs = new LinkedHashMap<>();
        logs.put("leader", logWithTerms(7, FIG7_LEADER));
        logs.put("follower", logWithTerms(3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3));
        TestCluster c = new TestCluster(plain(), members, logs,
                Map.of("leader", fixedTimeout(0), "follower", fixedTimeout(149)));
        c.advance(150);
        c.core("leader").receive(new VoteResponse(CLUSTER, "voter", "leader", 8, true));
        c.advance(100);
        long rejections = c.delivered.stream()
                .filter(m -> m instanceof AppendEntriesResponse r && !r.success()).count();
        assertTrue(rejections <= 3, "rejections: " + rejections);
        assertEquals(11, c.logs.get("follower").lastIndex());
    }

    @Test
    void entriesOfOneAppendAreBoundedByCountAndBytes() {
        var config = plain().toBuilder().maxEntriesPerAppend(3).maxBytesPerAppend(2 * (LogEntry.OVERHEAD_BYTES + 6))
                .build();
        InMemoryLog log = logWithTerms(1, 1, 1, 1, 1, 1, 1);
        RaftCore a = new RaftCore("a", CLUSTER, ABC, config, log, 0, fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", 2, true));
        Ready ready = a.ready();
        for (var req : Fixtures.sent(ready, io.raftbus.engine.message.AppendEntriesRequest.class)) {
            assertEquals(1, req.entries().size(), "probe at the no-op");
        }
        a.receive(new AppendEntriesResponse(CLUSTER, "b", "a", 2, false, 0, 6, 0, 1, 0)); // b's log is empty
        var probe = only(a.ready(), io.raftbus.engine.message.AppendEntriesRequest.class);
        assertEquals(0, probe.prevLogIndex());
        assertEquals(2, probe.entries().size(), "two entries of 4+24 bytes fit in 60 bytes, three would not");
    }
}
