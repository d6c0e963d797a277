package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.memory.InMemoryNetwork;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that hears no leader says so once, naming its members and cluster, instead of staying silent. */
class LeaderlessWatchTest {

    @Test
    void aNodeAloneWithItsMembersWarnsOnceAfterTheQuietTime() {
        InMemoryNetwork network = new InMemoryNetwork();
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // n4 thinks the cluster is n1, n2, n4; nobody else runs with that list, so it never hears a leader
        try (RaftNode n4 = RaftNode.builder().nodeId("n4").members(Set.of("n1", "n2", "n4")).clusterId("kv")
                .transport(network.transport("n4")).log(new InMemoryLog()).stateMachine((index, command) -> command)
                .build()) {
            n4.start();
            LeaderlessWatch watch = new LeaderlessWatch(n4, () -> Map.of("unknown-sender", 3L),
                    new PrintStream(out, true, StandardCharsets.UTF_8), Duration.ofSeconds(10), now::get, false);
            watch.check();
            now.addAndGet(TimeUnit.SECONDS.toNanos(9));
            watch.check();
            assertEquals("", out.toString(StandardCharsets.UTF_8), "warned before the quiet time");
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            watch.check();
            now.addAndGet(TimeUnit.SECONDS.toNanos(30));
            watch.check();
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("n4: no leader for 11 s ("), text);
            assertTrue(text.contains("--members (here: n1,n2,n4)"), text);
            assertTrue(text.contains("--cluster (here: kv)"), text);
            assertTrue(text.contains("transport unknown-sender=3"), text);
            assertEquals(1, text.lines().count(), "one warning per leaderless stretch: " + text);
        }
    }
}
