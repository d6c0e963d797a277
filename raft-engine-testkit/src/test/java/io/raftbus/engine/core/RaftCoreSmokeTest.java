package io.raftbus.engine.core;

import io.raftbus.engine.Role;
import io.raftbus.engine.spi.EntryType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RaftCoreSmokeTest {

    @Test
    void threeNodesElectALeaderAndCommitCommandsEverywhere() {
        TestCluster c = new TestCluster(TestCluster.defaultConfig(), 1, "a", "b", "c");
        String leader = c.awaitLeader(2_000);
        for (int i = 0; i < 20; i++) {
            c.core(leader).submit(i, ("cmd" + i).getBytes(StandardCharsets.UTF_8));
        }
        c.advance(500);
        for (String id : List.of("a", "b", "c")) {
            List<CommittedEntry> applied = c.applied.get(id);
            long commands = applied.stream().filter(e -> e.entry().type() == EntryType.COMMAND).count();
            assertEquals(20, commands, "commands applied on " + id);
        }
        long localWaiters = c.applied.get(leader).stream().mapToLong(e -> e.waiters().size()).sum();
        assertEquals(20, localWaiters);
        assertEquals(Role.LEADER, c.core(leader).status().role());
        assertTrue(c.core(leader).status().matchIndex().values().stream().allMatch(m -> m == 21));
    }

    @Test
    void singleNodeElectsItselfAndCommits() {
        TestCluster c = new TestCluster(TestCluster.defaultConfig(), 2, "solo");
        c.awaitLeader(1_000);
        c.core("solo").submit(7, new byte[] {1});
        c.advance(10);
        List<CommittedEntry> applied = c.applied.get("solo");
        assertEquals(2, applied.size());
        assertEquals(List.of(new Waiter.Local(7)), applied.get(1).waiters());
    }
}
