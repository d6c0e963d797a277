package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    @Test
    void demoWithAndWithoutDataDirectory() throws UsageException {
        assertEquals(new Invocation.Demo(null), CommandLine.parse(new String[] {"demo"}));
        assertEquals(new Invocation.Demo(Path.of("/tmp/x")), CommandLine.parse(new String[] {"demo", "--data", "/tmp/x"}));
        assertEquals(new Invocation.Demo(Path.of("d")), CommandLine.parse(new String[] {"demo", "--data=d"}));
        assertEquals(new Invocation.Demo(null, java.time.Duration.ofMillis(2500)),
                CommandLine.parse(new String[] {"demo", "--timeout", "2.5"}));
    }

    @Test
    void nodeNeedsItsIdMembersBootstrapAndData() throws UsageException {
        Invocation parsed = CommandLine.parse(new String[] {"node", "--id", "n1", "--members", "n1,n2,n3",
                "--bootstrap", "localhost:9092", "--data", "/var/kv", "--cluster", "shop"});
        assertEquals(new Invocation.Node("n1", Set.of("n1", "n2", "n3"), "localhost:9092", Path.of("/var/kv"), "shop"),
                parsed);
        Invocation defaults = CommandLine.parse(new String[] {"node", "--id", "n2", "--members", "n1, n2",
                "--bootstrap", "h:1", "--data", "d"});
        assertEquals(new Invocation.Node("n2", Set.of("n1", "n2"), "h:1", Path.of("d"), Invocation.DEFAULT_CLUSTER),
                defaults);
    }

    @Test
    void nodeTakesMetricsOptions() throws UsageException {
        Invocation parsed = CommandLine.parse(new String[] {"node", "--id", "n1", "--members", "n1", "--bootstrap",
                "h:1", "--data", "d", "--metrics-log", "30", "--metrics-port=9404"});
        assertEquals(new Invocation.Node("n1", Set.of("n1"), "h:1", Path.of("d"), Invocation.DEFAULT_CLUSTER,
                java.util.Map.of(), 30, 9404), parsed);
        assertMessage("--metrics-log takes a number of seconds, not 'soon'", "node", "--id", "n1", "--members", "n1",
                "--bootstrap", "h:1", "--data", "d", "--metrics-log", "soon");
        assertMessage("--metrics-port must be from 1 to 65535, not 0", "node", "--id", "n1", "--members", "n1",
                "--bootstrap", "h:1", "--data", "d", "--metrics-port", "0");
    }

    @Test
    void nodeJoinsWithTheVotersOfTheClusterItJoins() throws UsageException {
        Invocation parsed = CommandLine.parse(new String[] {"node", "--id", "n4", "--members", "n1,n2,n3", "--join",
                "--bootstrap", "h:1", "--data", "d"});
        assertEquals(new Invocation.Node("n4", Set.of("n1", "n2", "n3"), "h:1", Path.of("d"),
                Invocation.DEFAULT_CLUSTER, java.util.Map.of(), 0, 0, true), parsed);
        assertMessage("--join: --members lists the voters of the cluster n4 joins, without n4 itself", "node", "--id",
                "n4", "--members", "n1,n4", "--join", "--bootstrap", "h:1", "--data", "d");
        assertMessage("--join takes no value", "node", "--id", "n4", "--members", "n1", "--join=yes",
                "--bootstrap", "h:1", "--data", "d");
        assertMessage("(a node joining a running cluster is started with --join)", "node", "--id", "n4", "--members",
                "n1,n2", "--bootstrap", "h:1", "--data", "d");
        assertMessage("--id 'n 4' may only use", "node", "--id", "n 4", "--members", "n1", "--join",
                "--bootstrap", "h:1", "--data", "d");
    }

    @Test
    void clientTakesOptionsThenOneKeyValueCommand() throws UsageException {
        assertEquals(new Invocation.Client("h:1", List.of("n1", "n2", "n3"), Invocation.DEFAULT_CLUSTER,
                        Invocation.DEFAULT_TIMEOUT, new KvCommand.Put("k", "v")),
                CommandLine.parse(new String[] {"client", "--bootstrap", "h:1", "put", "k", "v"}));
        assertEquals(new Invocation.Client("h:1", List.of("a", "b"), "c", Duration.ofMillis(2500),
                        new KvCommand.Cas("k", "--x", "y")),
                CommandLine.parse(new String[] {"client", "--bootstrap", "h:1", "--members", "a,b", "--cluster", "c",
                        "--timeout", "2.5", "cas", "k", "--x", "y"}));
    }

    @Test
    void helpIsNotAnError() throws UsageException {
        assertEquals(new Invocation.Help(), CommandLine.parse(new String[] {"--help"}));
        assertTrue(CommandLine.USAGE.contains("demo [--data DIR]"));
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhatIsWrong() {
        assertMessage("no mode given");
        assertMessage("unknown mode 'serve'", "serve");
        assertMessage("unknown option --date", "demo", "--date", "x");
        assertMessage("--data needs a value", "demo", "--data");
        assertMessage("unexpected argument 'x'", "demo", "x");
        assertMessage("--bootstrap is required", "node", "--id", "n1", "--members", "n1", "--data", "d");
        assertMessage("--id n4 is not one of --members", "node", "--id", "n4", "--members", "n1,n2",
                "--bootstrap", "h:1", "--data", "d");
        assertMessage("names n1 twice", "node", "--id", "n1", "--members", "n1,n1", "--bootstrap", "h:1",
                "--data", "d");
        assertMessage("no command given", "client", "--bootstrap", "h:1");
        assertMessage("only put, get, del and cas", "client", "--bootstrap", "h:1", "status");
        assertMessage("missing argument; usage: put KEY VALUE", "client", "--bootstrap", "h:1", "put", "k");
        assertMessage("--timeout takes a number of seconds", "client", "--bootstrap", "h:1", "--timeout", "soon",
                "get", "k");
        assertMessage("--id given twice", "node", "--id", "n1", "--id", "n2");
    }

    private static void assertMessage(String expectedFragment, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(expectedFragment), () -> "message was: " + e.getMessage());
    }
}
