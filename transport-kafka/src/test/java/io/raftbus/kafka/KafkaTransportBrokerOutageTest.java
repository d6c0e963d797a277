package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.junit.KafkaBrokerExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a broker outage does to running transports: sends wait in the producer and go out after the restart. */
class KafkaTransportBrokerOutageTest {

    @RegisterExtension
    static KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void messagesSentWhileTheBrokerIsDownArriveAfterItRestarts() {
        Assumptions.assumeTrue(kafka.isEmbedded(), "needs the embedded broker, which can be stopped and restarted");
        String cluster = kafka.uniqueName("outage");
        KafkaTransportConfig config = KafkaTransportConfig.builder().bootstrapServers(kafka.bootstrapServers())
                .clusterId(cluster).members(Set.of("n1", "n2")).replicationFactor((short) 1).build();
        ConcurrentLinkedQueue<RaftMessage> atN2 = new ConcurrentLinkedQueue<>();
        try (KafkaTransport n1 = new KafkaTransport(config); KafkaTransport n2 = new KafkaTransport(config)) {
            n1.start("n1", m -> { });
            n2.start("n2", atN2::add);
            n1.send(new VoteRequest(cluster, "n1", "n2", 1, 0, 0));
            Await.until("delivery before the outage", () -> atN2.size() == 1);

            kafka.stop();
            n1.send(new VoteRequest(cluster, "n1", "n2", 2, 0, 0)); // never blocks, never throws
            kafka.restart();

            Await.until("the message sent during the outage arrives", () -> atN2.size() == 2,
                    TestDeadlines.seconds(60));
            assertEquals(2, atN2.stream().mapToLong(RaftMessage::term).max().orElseThrow());
            n1.send(new VoteRequest(cluster, "n1", "n2", 3, 0, 0));
            Await.until("delivery resumes", () -> atN2.size() == 3, TestDeadlines.seconds(60));
        }
    }
}
