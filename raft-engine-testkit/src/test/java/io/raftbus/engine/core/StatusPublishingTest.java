package io.raftbus.engine.core;

import io.raftbus.engine.RaftStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link RaftCore#status()} is asked after every iteration of a node's event loop: while nothing in it changed it
 * returns the status it built last (an idle node publishes without allocating), and a new one as soon as anything
 * in it changed, including a follower's match index on the leader.
 */
class StatusPublishingTest {

    @Test
    void anUnchangedStatusIsTheSameObjectAndAChangeMakesANewOne() {
        TestCluster c = new TestCluster(TestCluster.defaultConfig(), 1, "a", "b", "c");
        String leader = c.awaitLeader(2_000);
        c.advance(500);
        RaftCore core = c.core(leader);
        RaftStatus before = core.status();
        assertSame(before, core.status(), "nothing changed between two calls");
        c.advance(300); // heartbeats only: nothing in the status moves
        assertSame(before, core.status(), "heartbeats change no field of the status");

        core.submit(1, new byte[] {1});
        c.advance(500);
        RaftStatus after = core.status();
        assertNotSame(before, after);
        assertEquals(before.commitIndex() + 1, after.commitIndex());
        assertEquals(before.lastApplied() + 1, after.lastApplied());
        for (String follower : List.of("a", "b", "c")) {
            if (!follower.equals(leader)) {
                assertEquals(after.lastLogIndex(), after.matchIndex().get(follower), "match of " + follower);
            }
        }
    }
}
