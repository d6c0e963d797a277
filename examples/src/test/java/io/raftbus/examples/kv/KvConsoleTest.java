package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console against a stand-in cluster: one output line per command, errors do not stop it. */
class KvConsoleTest {

    private static List<String> run(String script) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new KvConsole(new FakeCluster(), Duration.ofSeconds(1))
                    .run(new BufferedReader(new StringReader(script)), out, false);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsOneResultLinePerKeyValueCommand() throws IOException {
        assertEquals(List.of(
                        "OK a = 1",
                        "OK a = 1",
                        "CAS_FAILED a = 1",
                        "OK a = 2",
                        "OK a deleted",
                        "NOT_FOUND a",
                        "NOT_FOUND a",
                        "OK g = hello world"),
                run("put a 1\nget a\ncas a 9 3\ncas a 1 2\ndel a\nget a\ndel a\nput g \"hello world\"\n"));
    }

    @Test
    void errorsPrintOneLineAndTheConsoleGoesOn() throws IOException {
        List<String> lines = run("bogus\nput a\n\n# comment\nput a 1\nkill n9\nget a\n");
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("ERROR unknown command 'bogus'"), lines::toString);
        assertTrue(lines.get(1).startsWith("ERROR missing argument"), lines::toString);
        assertEquals("OK a = 1", lines.get(2));
        assertTrue(lines.get(3).startsWith("ERROR no node n9"), lines::toString);
        assertEquals("OK a = 1", lines.get(4));
    }

    @Test
    void addAndRemoveSayWhatTheVotersAreAfterwards() throws IOException {
        List<String> lines = run("add n4\nremove n1\nremove n9\nadd n4\nadd\n");
        assertEquals(List.of("OK n4 is a voter; voters n1,n2,n3,n4", "OK n1 removed and stopped; voters n2,n3,n4;"
                + " n2 leads"), lines.subList(0, 2));
        assertTrue(lines.get(2).startsWith("ERROR no node n9"), lines::toString);
        assertEquals("ERROR n4 is a member already", lines.get(3));
        assertEquals("ERROR missing argument; usage: add NODE", lines.get(4));
    }

    @Test
    void statusPrintsOneLinePerNodeAndFaultsShowInIt() throws IOException {
        List<String> lines = run("put a 1\nkill n3\npartition n2\nstatus\nheal n2\nrestart n3\nstatus\n");
        assertEquals(List.of("OK a = 1", "OK n3 killed", "OK n2 partitioned"), lines.subList(0, 3));
        List<String> faulty = lines.subList(3, 6);
        assertTrue(faulty.get(0).matches("n1\\s+FOLLOWER\\s+term=1\\s+leader=-\\s+commit=1\\s+applied=1\\s+last=1\\s+snap=0\\s+log=1"),
                faulty::toString);
        assertTrue(faulty.get(1).endsWith("partitioned"), faulty::toString);
        assertEquals("n3  DOWN", faulty.get(2));
        assertEquals(List.of("OK n2 healed", "OK n3 restarted"), lines.subList(6, 8));
        List<String> healed = lines.subList(8, 11);
        assertTrue(healed.get(0).matches("n1\\s+LEADER\\s+term=1\\s+leader=n1\\s+.*"), healed::toString);
        assertEquals(11, lines.size());
    }

    @Test
    void snapshotTakesOneAndStatusShowsItsIndex() throws IOException {
        List<String> lines = run("put a 1\nput b 2\nsnapshot n1\nsnapshot n9\nstatus\n");
        assertTrue(lines.get(2).matches("OK n1 snapshot at index 2 \\(\\d+ bytes\\); log from 3"), lines::toString);
        assertTrue(lines.get(3).startsWith("ERROR no node n9"), lines::toString);
        assertTrue(lines.get(4).matches("n1\\s+LEADER\\s+.*last=2\\s+snap=2\\s+log=0"), lines::toString);
    }

    @Test
    void waitAppliedAnswersForAReachableNodeAndNamesWhyNotOtherwise() throws IOException {
        List<String> lines = run("put a 1\nwait-applied n2\nkill n3\nwait-applied n3\nwait-applied n9\n"
                + "wait-applied\n");
        assertEquals(List.of("OK a = 1", "OK n2 applied=1 snap=0", "OK n3 killed"), lines.subList(0, 3));
        assertTrue(lines.get(3).startsWith("ERROR n3 is down"), lines::toString);
        assertTrue(lines.get(4).startsWith("ERROR no node n9"), lines::toString);
        assertTrue(lines.get(5).startsWith("ERROR missing argument; usage: wait-applied NODE"), lines::toString);
    }

    @Test
    void noLeaderIsAnErrorLine() throws IOException {
        assertEquals(List.of("OK n2 killed", "OK n3 killed",
                        "ERROR no leader right now (a majority of the nodes is down or cut off)"),
                run("kill n2\nkill n3\nput a 1\n"));
    }

    @Test
    void quitStopsReadingAndHelpIsOneLine() throws IOException {
        assertEquals(List.of(CommandParser.HELP, "bye"), run("help\nquit\nput a 1\n"));
    }
}
