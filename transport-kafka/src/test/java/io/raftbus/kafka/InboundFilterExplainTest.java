package io.raftbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A drop warning for a sender that is not a member names the members configured here, the likely mistake. */
class InboundFilterExplainTest {

    @Test
    void anUnknownSenderDropNamesTheConfiguredMembers() {
        InboundFilter filter = new InboundFilter("kv", "n1", Set.of("n3", "n1", "n2"));
        String text = filter.explain(DropCause.UNKNOWN_SENDER);
        assertTrue(text.contains("the members configured here are [n1, n2, n3]"), text);
        assertTrue(filter.explain(DropCause.FOREIGN_CLUSTER).contains("cluster 'kv'"));
        assertEquals("", filter.explain(DropCause.MALFORMED));
    }
}
