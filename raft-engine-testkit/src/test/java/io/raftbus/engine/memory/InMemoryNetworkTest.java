package io.raftbus.engine.memory;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.Transport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InMemoryNetworkTest {

    private final InMemoryNetwork network = new InMemoryNetwork();
    private final List<RaftMessage> toA = new CopyOnWriteArrayList<>();
    private final List<RaftMessage> toB = new CopyOnWriteArrayList<>();
    private final Transport a = network.transport("a");
    private final Transport b = network.transport("b");

    InMemoryNetworkTest() {
        a.start("a", toA::add);
        b.start("b", toB::add);
    }

    private static RaftMessage msg(String from, String to) {
        return new VoteRequest("c", from, to, 1, 0, 0);
    }

    @Test
    void deliversTheSameMessageToTheAddressee() {
        RaftMessage m = msg("a", "b");
        a.send(m);

        assertEquals(1, toB.size());
        assertSame(m, toB.get(0));
        assertEquals(0, toA.size());
    }

    @Test
    void anIsolatedNodeNeitherSendsNorReceivesUntilHealed() {
        network.isolate("a");
        a.send(msg("a", "b"));
        b.send(msg("b", "a"));
        assertEquals(0, toA.size() + toB.size());
        assertEquals(2, network.droppedCount());

        network.heal("a");
        a.send(msg("a", "b"));
        b.send(msg("b", "a"));
        assertEquals(1, toA.size());
        assertEquals(1, toB.size());
    }

    @Test
    void aDroppedLinkCutsOneDirectionOnly() {
        network.dropLink("a", "b");
        a.send(msg("a", "b"));
        b.send(msg("b", "a"));
        assertEquals(0, toB.size());
        assertEquals(1, toA.size());

        network.restoreLink("a", "b");
        a.send(msg("a", "b"));
        assertEquals(1, toB.size());
    }

    @Test
    void messagesToUnknownOrClosedEndpointsAreDroppedWithoutThrowing() {
        a.send(msg("a", "nobody"));
        b.close();
        a.send(msg("a", "b"));
        b.send(msg("b", "a"));

        assertEquals(0, toB.size());
        assertEquals(0, toA.size());
        assertEquals(3, network.droppedCount());
    }

    @Test
    void oneEndpointPerNodeId() {
        Transport second = network.transport("a");
        assertThrows(IllegalStateException.class, () -> second.start("a", m -> { }));
        assertThrows(IllegalArgumentException.class, () -> network.transport("c").start("d", m -> { }));
    }
}
