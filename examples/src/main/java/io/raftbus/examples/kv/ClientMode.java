package io.raftbus.examples.kv;

import io.raftbus.kafka.KafkaTransportException;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code client}: sends one key-value command to the cluster through Kafka in a client session
 * ({@link SessionKvClient}: registered, then the command, applied exactly once however often it is retried) and
 * prints its result line; at exit it closes the session in the cluster, so one-shot runs leave no session behind to
 * expire. A {@code get} is a linearizable read (ReadIndex on the leader): no session, no log entry. {@code --timeout}
 * bounds connecting, registering and waiting for the result together; closing afterwards (the session, at most
 * {@code SessionClient.CLOSE_TIMEOUT_MS}, then deleting the client's inbox topic) is bounded separately.
 */
final class ClientMode {

    private ClientMode() {
    }

    /** @return 0 when the command was applied (whatever its outcome), 1 otherwise */
    static int run(Invocation.Client options, PrintStream out, PrintStream err) throws InterruptedException {
        Set<String> members = Set.copyOf(options.members());
        try (SessionKvClient client = new SessionKvClient((id, until) -> KafkaTransports.forClient(
                options.bootstrapServers(), options.clusterId(), members, options.kafkaProperties(), until),
                options.clusterId(), members)) {
            KvResult result = options.command() instanceof KvCommand.Get get
                    ? client.read(get, options.timeout())
                    : client.execute(options.command(), options.timeout());
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
