package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundFilterTest {

    private static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");
    private final InboundFilter node = new InboundFilter("c", new ClusterMembers("n1", MEMBERS));
    private final InboundFilter client = new InboundFilter("c", new ClusterMembers("app-1", MEMBERS));

    @Test
    void nodeAcceptsAnyMessageOfItsClusterAddressedToIt() {
        assertEquals(Optional.empty(), node.reject(new VoteRequest("c", "n2", "n1", 2, 0, 0)));
        assertEquals(Optional.empty(), node.reject(new VoteRequest("c", "n9", "n1", 2, 0, 0)),
                "who may vote is the engine's decision, against the configurations in its log");
        assertEquals(Optional.empty(), node.reject(new AppendEntriesResponse("c", "n4", "n1", 2, true, 7, 0, 0, 0, 7)),
                "a node being added is in no one's start list; the leader must hear its answers");
        assertEquals(Optional.empty(), node.reject(new CommandRequest("c", "app-1", "n1", 0, 1, new byte[1])));
        assertEquals(Optional.empty(), node.reject(response("n2", "n1")), "answers to forwarded commands");
    }

    @Test
    void foreignClusterAndWrongReceiverAreStillDropped() {
        assertEquals(Optional.of(DropCause.FOREIGN_CLUSTER), node.reject(new VoteRequest("d", "n2", "n1", 2, 0, 0)));
        assertEquals(Optional.of(DropCause.WRONG_RECEIVER), node.reject(new VoteRequest("c", "n2", "n3", 2, 0, 0)));
        assertEquals(Optional.of(DropCause.FOREIGN_CLUSTER), client.reject(response("n2", "app-1", "d")));
        assertEquals(Optional.of(DropCause.WRONG_RECEIVER), client.reject(response("n2", "app-2")));
    }

    @Test
    void clientAcceptsOnlyCommandResponsesFromAnyNodeOfItsCluster() {
        assertEquals(Optional.empty(), client.reject(response("n2", "app-1")));
        assertEquals(Optional.empty(), client.reject(response("n5", "app-1")), "a member added after it started");
        assertEquals(Optional.of(DropCause.UNEXPECTED_TYPE),
                client.reject(new VoteRequest("c", "n2", "app-1", 2, 0, 0)));
        assertEquals(Optional.of(DropCause.UNEXPECTED_TYPE), client.reject(new TimeoutNow("c", "n2", "app-1", 4)));
    }

    @Test
    void aJoiningNodeIsANodeOnceItsEngineTellsItsConfiguration() {
        ClusterMembers joiner = new ClusterMembers("n4", MEMBERS);
        InboundFilter filter = new InboundFilter("c", joiner);
        VoteRequest fromLeader = new VoteRequest("c", "n1", "n4", 2, 0, 0);
        assertFalse(joiner.localIsNode(), "before its RaftNode runs, it cannot be told from a client");
        assertEquals(Optional.of(DropCause.UNEXPECTED_TYPE), filter.reject(fromLeader));

        assertEquals(Set.of(), joiner.update(Membership.ofVoters(MEMBERS)), "the start configuration adds no one");
        assertTrue(joiner.localIsNode());
        assertEquals(Optional.empty(), filter.reject(fromLeader));
        assertEquals(Set.of("n4"), joiner.update(new Membership(MEMBERS, Set.of("n4"))));
        assertTrue(joiner.isMember("n4"));
    }

    @Test
    void membersFollowTheConfigurationInForce() {
        ClusterMembers members = new ClusterMembers("n1", MEMBERS);
        assertEquals(Set.of("n4", "n5"), members.update(new Membership(Set.of("n1", "n2", "n4"), Set.of("n5"))));
        assertFalse(members.isMember("n3"), "removed");
        assertTrue(members.isMember("n5"), "a learner is a member");
        assertEquals(Set.of("n1", "n2", "n4", "n5"), members.current());
    }

    @Test
    void aDroppedRaftMessageOnAClientExplainsThatItIsAClient() {
        String text = client.explain(DropCause.UNEXPECTED_TYPE);
        assertTrue(text.contains("'app-1' is an external client of cluster 'c'"), text);
        assertTrue(node.explain(DropCause.FOREIGN_CLUSTER).contains("cluster 'c'"));
        assertEquals("", node.explain(DropCause.MALFORMED));
    }

    private static CommandResponse response(String from, String to) {
        return response(from, to, "c");
    }

    private static CommandResponse response(String from, String to, String cluster) {
        return new CommandResponse(cluster, from, to, 1, 1, CommandResponse.Status.APPLIED, 5, 1, null, new byte[0],
                null);
    }
}
