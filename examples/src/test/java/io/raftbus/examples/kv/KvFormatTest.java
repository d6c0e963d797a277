package io.raftbus.examples.kv;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.session.SessionReply;
import io.raftbus.engine.session.SessionStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KvFormatTest {

    @Test
    void statusHasOneAlignedLinePerNodeWhateverTheRole() {
        List<String> lines = KvFormat.status(List.of(
                new NodeView("n1", true, false, new RaftStatus("n1", Role.LEADER, 12, "n1", 105, 105, 106, Map.of())),
                new NodeView("n2", true, true, new RaftStatus("n2", Role.PRE_CANDIDATE, 11, null, 7, 7, 9, Map.of(),
                        5, 4)),
                new NodeView("n3", false, false, null)));
        assertEquals(List.of(
                "n1  LEADER         term=12  leader=n1  commit=105  applied=105  last=106   snap=0     log=106",
                "n2  PRE_CANDIDATE  term=11  leader=-   commit=7    applied=7    last=9     snap=5     log=6  partitioned",
                "n3  DOWN"), lines);
    }

    @Test
    void statusEndsWithEachNodesPlaceInTheConfigurationItKnows() {
        Set<String> voters = Set.of("n1", "n3");
        List<String> lines = KvFormat.status(List.of(
                new NodeView("n1", true, false, status("n1", Role.LEADER, voters, Set.of("n4"))),
                new NodeView("n2", false, false, null, true),
                new NodeView("n3", true, true, status("n3", Role.FOLLOWER, voters, Set.of("n4"))),
                new NodeView("n4", true, false, status("n4", Role.FOLLOWER, voters, Set.of("n4"))),
                new NodeView("n5", true, false, status("n5", Role.FOLLOWER, voters, Set.of("n4")))));
        assertEquals(List.of(
                "n1  LEADER         term=3   leader=n1  commit=9    applied=9    last=9     snap=0     log=9      voter",
                "n2  REMOVED",
                "n3  FOLLOWER       term=3   leader=n1  commit=9    applied=9    last=9     snap=0     log=9      voter"
                        + "  partitioned",
                "n4  FOLLOWER       term=3   leader=n1  commit=9    applied=9    last=9     snap=0     log=9      learner",
                "n5  FOLLOWER       term=3   leader=n1  commit=9    applied=9    last=9     snap=0     log=9      "
                        + "non-member"), lines);
        assertEquals("n1,n3", KvFormat.ids(voters));
        assertEquals("none", KvFormat.ids(Set.of()));
    }

    private static RaftStatus status(String id, Role role, Set<String> voters, Set<String> learners) {
        return new RaftStatus(id, role, 3, "n1", 9, 9, 9, Map.of(), 0, 1, voters, learners);
    }

    @Test
    void aNodeRunningSessionsShowsItsOpenSessionsAndHeldResultsBeforeItsPlace() {
        SessionStats sessions = new SessionStats(2, 1, 5_000, 0, 0, Map.of(SessionReply.Status.REGISTERED, 2L));
        Set<String> voters = Set.of("n1");
        List<String> lines = KvFormat.status(List.of(
                new NodeView("n1", true, true, status("n1", Role.LEADER, voters, Set.of()), false, sessions)));
        assertEquals(List.of("n1  LEADER         term=3   leader=n1  commit=9    applied=9    last=9     snap=0     "
                + "log=9      sessions=2 held=1     voter  partitioned"), lines);
    }

    @Test
    void resultLinesStartWithTheOutcome() {
        assertEquals("OK k = v", KvFormat.result(new KvCommand.Put("k", "v"), KvResult.ok("v")));
        assertEquals("OK k deleted", KvFormat.result(new KvCommand.Delete("k"), KvResult.ok("v")));
        assertEquals("NOT_FOUND k", KvFormat.result(new KvCommand.Get("k"), KvResult.notFound()));
        assertEquals("CAS_FAILED k not found", KvFormat.result(new KvCommand.Cas("k", "a", "b"),
                new KvResult(KvResult.Outcome.CAS_MISMATCH, null)));
        assertEquals("ERROR the state machine rejected the command: bad", KvFormat.result(new KvCommand.Get("k"),
                new KvResult(KvResult.Outcome.INVALID_COMMAND, "bad")));
    }

    @Test
    void anErrorIsAlwaysOneLine() {
        assertEquals("ERROR could not restart n2: disk full at line 3", KvFormat.error("could not restart n2: disk full\n  at line 3"));
        assertEquals("ERROR null", KvFormat.error(null));
    }
}
