package io.raftbus.examples.kv;

import io.raftbus.kafka.KafkaTransportException;

import java.io.PrintStream;

/**
 * {@code client}: sends one key-value command to the cluster through Kafka ({@link KafkaKvClient}) and prints its
 * result line. {@code --timeout} bounds connecting and waiting for the result together; closing afterwards (deleting
 * the client's inbox topic) is bounded separately by the transport's close.
 */
final class ClientMode {

    private ClientMode() {
    }

    /** @return 0 when the command was applied (whatever its outcome), 1 otherwise */
    static int run(Invocation.Client options, PrintStream out, PrintStream err) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try (KafkaKvClient client = new KafkaKvClient(options.bootstrapServers(), options.clusterId(),
                options.members(), options.kafkaProperties(), deadline)) {
            KvResult result = client.execute(options.command(), deadline, options.timeout());
            out.println(KvFormat.result(options.command(), result));
            return 0;
        } catch (ClusterException e) {
            err.println(KvFormat.error(e.getMessage()));
            return 1;
        } catch (KafkaTransportException e) {
            err.println("error: could not connect to Kafka within --timeout " + KvFormat.seconds(options.timeout())
                    + ". " + e.getMessage());
            return 1;
        }
    }
}
