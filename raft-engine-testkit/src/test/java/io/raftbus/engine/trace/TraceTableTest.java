package io.raftbus.engine.trace;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.Role;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table and the diagram of a small hand-written election: structure, not exact bytes. */
class TraceTableTest {

    static RaftStatus status(String id, Role role, long term, String leader, long commit, long last) {
        return new RaftStatus(id, role, term, leader, commit, commit, last, Map.of());
    }

    /** n1 times out, asks for votes, n2 grants, n1 leads term 1 and sends its no-op; a partition note. */
    static List<TraceEvent> election() {
        RaftStatus f1 = status("n1", Role.FOLLOWER, 0, null, 0, 0);
        RaftStatus c1 = status("n1", Role.CANDIDATE, 1, null, 0, 0);
        RaftStatus l1 = status("n1", Role.LEADER, 1, "n1", 0, 1);
        RaftStatus f2 = status("n2", Role.FOLLOWER, 0, null, 0, 0);
        RaftStatus f2t1 = status("n2", Role.FOLLOWER, 1, null, 0, 0);
        RaftMessage ask2 = new VoteRequest("c", "n1", "n2", 1, 0, 0, false);
        RaftMessage ask3 = new VoteRequest("c", "n1", "n3", 1, 0, 0, false);
        RaftMessage grant = new VoteResponse("c", "n2", "n1", 1, true);
        RaftMessage append = new AppendEntriesRequest("c", "n1", "n2", 1, 0, 0, List.of(), 0, 0);
        return List.of(
                new TraceEvent(0, "n1", TraceEvent.TIMER, f1, f1, List.of()),
                new TraceEvent(170, "n1", TraceEvent.TIMER, f1, c1, List.of(ask2, ask3)),
                new TraceEvent(175, "n2", ask2, f2, f2t1, List.of(grant)),
                new TraceEvent(180, "n1", grant, c1, l1, List.of(append)),
                TraceEvent.note(190, null, "PARTITION [n3]"),
                TraceEvent.note(195, "n3", "CRASH"));
    }

    @Test
    void aQuietTickIsQuietAndAnElectionIsNot() {
        List<TraceEvent> events = election();
        assertTrue(events.get(0).isQuiet());
        assertFalse(events.get(1).isQuiet());
        assertTrue(events.get(4).isNote());
        assertEquals(List.of("role FOLLOWER→CANDIDATE", "term 0→1"), events.get(1).changes());
        assertTrue(events.get(2).changes().contains("vote→n1"), events.get(2).changes().toString());
    }

    @Test
    void aChangeOfConfigurationIsAChange() {
        RaftStatus three = new RaftStatus("n1", Role.LEADER, 2, "n1", 5, 5, 5, Map.of(), 0, 1,
                Set.of("n3", "n1", "n2"), Set.of());
        RaftStatus learning = new RaftStatus("n1", Role.LEADER, 2, "n1", 5, 5, 6, Map.of(), 0, 1,
                Set.of("n1", "n2", "n3"), Set.of("n4"));
        RaftStatus four = new RaftStatus("n1", Role.LEADER, 2, "n1", 6, 6, 7, Map.of(), 0, 1,
                Set.of("n4", "n1", "n2", "n3"), Set.of());
        assertEquals(List.of("log 5→6", "learners -→n4"),
                new TraceEvent(10, "n1", "ADD_LEARNER n4 #7", three, learning, List.of()).changes());
        assertEquals(List.of("commit 5→6", "applied 5→6", "log 6→7", "voters n1,n2,n3→n1,n2,n3,n4", "learners n4→-"),
                new TraceEvent(20, "n1", "PROMOTE n4 #8", learning, four, List.of()).changes());
        assertTrue(new TraceEvent(30, "n1", TraceEvent.TIMER, four, four, List.of()).isQuiet());
    }

    @Test
    void theTableHasAColumnPerNodeAndShowsEventsChangesAndMessages() {
        String table = TraceTable.render(election());
        assertFalse(table.contains("    0 |"), "a quiet tick is left out:\n" + table);
        String header = table.lines().findFirst().orElseThrow();
        assertTrue(header.matches("\\s*time ms\\s*\\| n1\\s*\\| n2\\s*\\| n3"), header);
        assertTrue(table.contains("F0 timer"), table);
        assertTrue(table.contains("role FOLLOWER→CANDIDATE"), table);
        assertTrue(table.contains("→ n2,n3 VoteReq t1"), table);
        assertTrue(table.contains("← n1 VoteReq t1"), table);
        assertTrue(table.contains("vote→n1"), table);
        assertTrue(table.contains("role CANDIDATE→LEADER"), table);
        assertTrue(table.contains("== PARTITION [n3] =="), table);
        assertTrue(table.contains("** CRASH"), table);
        // after the election the other columns show n1 as leader of term 1
        String crashRow = table.lines().filter(l -> l.contains("CRASH")).findFirst().orElseThrow();
        assertTrue(crashRow.contains("L1"), crashRow);
        int width = header.indexOf("| n2") - header.indexOf("| n1");
        table.lines().filter(l -> l.indexOf('|') >= 0 && !l.contains("=="))
                .forEach(l -> assertEquals(width, l.indexOf('|', l.indexOf('|') + 1) - l.indexOf('|'), l));
    }

    @Test
    void longLinesWrapInsideTheirColumn() {
        List<String> wrapped = TraceTable.wrap(List.of("aaaa bbbb cccc dddd eeee ffff gggg"), 12);
        assertTrue(wrapped.size() > 1, wrapped.toString());
        wrapped.forEach(l -> assertTrue(l.length() <= 12, l));
        assertEquals("aaaa bbbb cccc dddd eeee ffff gggg",
                String.join(" ", wrapped.stream().map(String::strip).toList()));
    }

    @Test
    void theDiagramHasLifelinesArrowsAndNotes() {
        String puml = PlantUmlWriter.render("an election", election(), List.of("n1", "n2", "n3"));
        assertTrue(puml.startsWith("@startuml\n") && puml.endsWith("@enduml\n"), puml);
        assertTrue(puml.contains("participant \"n3\""), puml);
        assertTrue(puml.contains("\"n1\" -> \"n2\" : 175 ms: VoteReq t1"), puml);
        assertTrue(puml.contains("\"n2\" -> \"n1\" : 180 ms: VoteResp t1 granted"), puml);
        assertTrue(puml.contains("LEADER term 1"), puml);
        assertTrue(puml.contains("hnote over \"n1\", \"n2\", \"n3\" : 190 ms: PARTITION [n3]"), puml);
        assertTrue(puml.contains("CRASH"), puml);
        assertFalse(puml.contains(": 0 ms: timer"), "a quiet tick draws nothing:\n" + puml);
    }

    @Test
    void aNodeTraceKeepsTheLastEventsAndNothingWhenOff() {
        NodeTrace trace = new NodeTrace(2);
        election().forEach(trace::add);
        assertEquals(5, trace.recorded(), "the quiet tick is not kept");
        assertEquals(List.of(election().get(4), election().get(5)), trace.events());
        assertTrue(trace.table().contains("CRASH"));
        NodeTrace off = NodeTrace.OFF;
        assertFalse(off.isOn());
        election().forEach(off::add);
        assertEquals(List.of(), off.events());
    }
}
