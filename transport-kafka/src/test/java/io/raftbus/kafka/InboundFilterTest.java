package io.raftbus.kafka;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InboundFilterTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    private final InboundFilter node = new InboundFilter("c", "n1", MEMBERS);
    private final InboundFilter client = new InboundFilter("c", "app-1", MEMBERS);

    @Test
    void nodeAcceptsProtocolMessagesFromMembersOnly() {
        assertEquals(Optional.empty(), node.reject(new VoteRequest("c", "n2", "n1", 2, 0, 0)));
        assertEquals(Optional.of(DropCause.UNKNOWN_SENDER), node.reject(new VoteRequest("c", "evil", "n1", 2, 0, 0)));
        assertEquals(Optional.of(DropCause.FOREIGN_CLUSTER), node.reject(new VoteRequest("d", "n2", "n1", 2, 0, 0)));
        assertEquals(Optional.of(DropCause.WRONG_RECEIVER), node.reject(new VoteRequest("c", "n2", "n3", 2, 0, 0)));
    }

    @Test
    void timeoutNowIsAProtocolMessage() {
        assertEquals(Optional.empty(), node.reject(new TimeoutNow("c", "n2", "n1", 4)));
        assertEquals(Optional.of(DropCause.UNKNOWN_SENDER), node.reject(new TimeoutNow("c", "app-1", "n1", 4)),
                "only a member (the leader) may tell a node to campaign");
        assertEquals(Optional.of(DropCause.UNEXPECTED_TYPE), client.reject(new TimeoutNow("c", "n2", "app-1", 4)));
    }

    @Test
    void nodeAcceptsCommandRequestsFromClients() {
        assertEquals(Optional.empty(), node.reject(new CommandRequest("c", "app-1", "n1", 0, 1, new byte[1])));
        assertEquals(Optional.of(DropCause.UNKNOWN_SENDER),
                node.reject(response("app-1", "n1")), "a client never answers commands");
    }

    @Test
    void clientAcceptsOnlyCommandResponsesFromMembers() {
        assertEquals(Optional.empty(), client.reject(response("n2", "app-1")));
        assertEquals(Optional.of(DropCause.UNKNOWN_SENDER), client.reject(response("app-2", "app-1")));
        assertEquals(Optional.of(DropCause.UNEXPECTED_TYPE), client.reject(new VoteRequest("c", "n2", "app-1", 2, 0, 0)));
    }

    private static CommandResponse response(String from, String to) {
        return new CommandResponse("c", from, to, 1, 1, CommandResponse.Status.APPLIED, 5, 1, null, new byte[0], null);
    }
}
