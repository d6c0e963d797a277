package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jar's newer arguments: help in any mode, --command-config, broker, inspect, and names checked up front. */
class CommandLineOpsTest {

    @TempDir
    Path dir;

    @Test
    void helpAfterAModeIsHelpNotAMissingValue() throws UsageException {
        assertEquals(new Invocation.Help(), CommandLine.parse(new String[] {"node", "--help"}));
        assertEquals(new Invocation.Help(), CommandLine.parse(new String[] {"demo", "-h"}));
        assertEquals(new Invocation.Help(), CommandLine.parse(new String[] {"client", "--help"}));
        // in a client's command, --help is a value like any other
        assertEquals(new KvCommand.Put("k", "--help"), ((Invocation.Client) CommandLine.parse(
                new String[] {"client", "--bootstrap", "h:1", "put", "k", "--help"})).command());
    }

    @Test
    void anUnknownOptionIsReportedAsUnknownEvenWithoutAValue() {
        assertMessage("unknown option --foo", "demo", "--foo");
        assertMessage("unknown option --foo", "client", "--bootstrap", "h:1", "--foo");
    }

    @Test
    void usageListsEveryConsoleCommandAndModeAndTheSignalExitCodes() {
        for (String word : new String[] {"stop NODE", "broker", "inspect --data DIR", "--command-config FILE",
                "130", "143", "the broker's data is always temporary"}) {
            assertTrue(CommandLine.USAGE.contains(word), word);
        }
        assertFalse(CommandLine.USAGE.contains("logs and broker data"));
    }

    @Test
    void commandConfigIsReadIntoTheInvocation() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "# SASL over TLS",
                "security.protocol=SASL_SSL",
                "sasl.mechanism = SCRAM-SHA-512",
                "raftbus.topic.replication.factor=3"));
        Invocation.Node node = (Invocation.Node) CommandLine.parse(new String[] {"node", "--id", "n1", "--members",
                "n1,n2,n3", "--bootstrap", "h:1", "--data", "d", "--command-config", file.toString()});
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "raftbus.topic.replication.factor", "3"), node.kafkaProperties());
        Invocation.Client client = (Invocation.Client) CommandLine.parse(new String[] {"client", "--bootstrap", "h:1",
                "--command-config=" + file, "get", "k"});
        assertEquals("SASL_SSL", client.kafkaProperties().get("security.protocol"));
        assertMessage("--command-config " + dir.resolve("missing") + " cannot be read", "client", "--bootstrap",
                "h:1", "--command-config", dir.resolve("missing").toString(), "get", "k");
    }

    @Test
    void anIllegalClusterOrNodeNameIsAUsageError() {
        assertMessage("--cluster 'my cluster' may only use letters", "node", "--id", "n1", "--members", "n1",
                "--bootstrap", "h:1", "--data", "d", "--cluster", "my cluster");
        assertMessage("--members 'n/1' may only use letters", "node", "--id", "n/1", "--members", "n/1",
                "--bootstrap", "h:1", "--data", "d");
        assertMessage("--cluster 'a:b' may only use letters", "client", "--bootstrap", "h:1", "--cluster", "a:b",
                "get", "k");
    }

    @Test
    void brokerAndInspectParse() throws UsageException {
        assertEquals(new Invocation.Broker(), CommandLine.parse(new String[] {"broker"}));
        assertMessage("unexpected argument 'x'", "broker", "x");
        assertEquals(new Invocation.Inspect(Path.of("d"), null, CommandLine.DEFAULT_ENTRIES),
                CommandLine.parse(new String[] {"inspect", "--data", "d"}));
        assertEquals(new Invocation.Inspect(Path.of("d"), "n2", 3),
                CommandLine.parse(new String[] {"inspect", "--data", "d", "--node", "n2", "--entries", "3"}));
        assertMessage("--data is required", "inspect");
        assertMessage("--entries takes a whole number", "inspect", "--data", "d", "--entries", "all");
    }

    private static void assertMessage(String expectedFragment, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
        assertTrue(e.getMessage().contains(expectedFragment), () -> "message was: " + e.getMessage());
    }
}
