package io.raftbus.engine.testing;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PausableTransportTest {

    private static RaftMessage message(long requestId) {
        return new CommandRequest("c", "n1", "n2", 1, requestId, new byte[0]);
    }

    private static List<Long> requestIds(List<RaftMessage> messages) {
        return messages.stream().map(m -> ((CommandRequest) m).requestId()).toList();
    }

    @Test
    void dropsBothWaysWhilePausedAndDeliversAgainAfterResume() {
        RecordingTransport real = new RecordingTransport();
        PausableTransport transport = new PausableTransport(real, false);
        List<RaftMessage> received = new ArrayList<>();
        transport.start("n1", received::add);

        transport.send(message(1));
        real.inbound.accept(message(2));
        transport.pause();
        assertTrue(transport.isPaused());
        transport.send(message(3));
        real.inbound.accept(message(4));
        transport.resume();
        transport.send(message(5));
        real.inbound.accept(message(6));

        assertEquals(List.of(1L, 5L), requestIds(real.sent));
        assertEquals(List.of(2L, 6L), requestIds(received));
        assertEquals(2, transport.droppedWhilePaused());
        assertEquals(RecordingTransport.MAX_MESSAGE_BYTES, transport.maxMessageBytes());
        transport.close();
        assertTrue(real.closed);
    }

    @Test
    void canStartPaused() {
        RecordingTransport real = new RecordingTransport();
        PausableTransport transport = new PausableTransport(real, true);
        transport.start("n1", m -> { });
        transport.send(message(1));
        assertEquals(0, real.sent.size());
    }

    @Test
    void passesTheConfigurationOnEvenWhilePaused() {
        RecordingTransport real = new RecordingTransport();
        PausableTransport transport = new PausableTransport(real, true);
        Membership grown = new Membership(java.util.Set.of("n1", "n2", "n3"), java.util.Set.of("n4"));
        transport.membershipChanged(grown);
        assertEquals(List.of(grown), real.told, "a new member's inbox must exist by the time the node is healed");
    }
}
