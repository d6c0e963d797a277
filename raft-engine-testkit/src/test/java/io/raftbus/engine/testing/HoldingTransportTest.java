package io.raftbus.engine.testing;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.RaftMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HoldingTransportTest {

    private static RaftMessage message(long requestId) {
        return new CommandRequest("c", "n1", "n2", 1, requestId, new byte[0]);
    }

    private static List<Long> requestIds(List<RaftMessage> messages) {
        return messages.stream().map(m -> ((CommandRequest) m).requestId()).toList();
    }

    private static boolean even(RaftMessage message) {
        return ((CommandRequest) message).requestId() % 2 == 0;
    }

    @Test
    void releasesHeldSendsOfATransportNeverStarted() {
        RecordingTransport real = new RecordingTransport();
        HoldingTransport transport = new HoldingTransport(real);
        transport.holdOutbound(message -> true);
        transport.send(message(1));

        transport.release();

        assertEquals(List.of(1L), requestIds(real.sent));
    }

    @Test
    void passesEverythingThroughUntilAskedToHold() {
        RecordingTransport real = new RecordingTransport();
        HoldingTransport transport = new HoldingTransport(real);
        List<RaftMessage> received = new ArrayList<>();
        transport.start("n1", received::add);

        transport.send(message(1));
        real.inbound.accept(message(2));

        assertEquals(List.of(1L), requestIds(real.sent));
        assertEquals(List.of(2L), requestIds(received));
        assertEquals(0, transport.heldCount());
    }

    @Test
    void keepsTheOutboundMessagesPickedAndSendsThemInOrderOnRelease() {
        RecordingTransport real = new RecordingTransport();
        HoldingTransport transport = new HoldingTransport(real);
        List<RaftMessage> received = new ArrayList<>();
        transport.start("n1", received::add);

        transport.holdOutbound(HoldingTransportTest::even);
        for (long id = 1; id <= 6; id++) {
            transport.send(message(id));
        }
        real.inbound.accept(message(8)); // inbound is not held

        assertEquals(List.of(1L, 3L, 5L), requestIds(real.sent));
        assertEquals(List.of(8L), requestIds(received));
        assertEquals(3, transport.heldCount());

        transport.release();
        transport.send(message(10)); // no longer held

        assertEquals(List.of(1L, 3L, 5L, 2L, 4L, 6L, 10L), requestIds(real.sent));
        assertEquals(0, transport.heldCount());
    }

    @Test
    void keepsTheInboundMessagesPickedAndDeliversThemInOrderOnRelease() {
        RecordingTransport real = new RecordingTransport();
        HoldingTransport transport = new HoldingTransport(real);
        List<RaftMessage> received = new ArrayList<>();
        transport.start("n1", received::add);

        transport.holdInbound(HoldingTransportTest::even);
        for (long id = 1; id <= 6; id++) {
            real.inbound.accept(message(id));
        }
        transport.send(message(8)); // outbound is not held

        assertEquals(List.of(1L, 3L, 5L), requestIds(received));
        assertEquals(List.of(8L), requestIds(real.sent));
        assertEquals(3, transport.heldCount());

        transport.release();
        real.inbound.accept(message(10));

        assertEquals(List.of(1L, 3L, 5L, 2L, 4L, 6L, 10L), requestIds(received));
        assertEquals(0, transport.heldCount());
    }
}
