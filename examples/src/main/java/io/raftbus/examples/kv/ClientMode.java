package io.raftbus.examples.kv;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code client}: sends one key-value command to the cluster through Kafka ({@link KafkaKvClient}) and prints its
 * result line. {@code --timeout} bounds connecting and the command together, but the command itself always gets at
 * least {@link KafkaKvClient#MIN_ATTEMPT_MILLIS}.
 */
final class ClientMode {

    private ClientMode() {
    }

    /** @return 0 when the command was applied (whatever its outcome), 1 otherwise */
    static int run(Invocation.Client options, PrintStream out, PrintStream err) throws InterruptedException {
        long began = System.nanoTime();
        try (KafkaKvClient client = new KafkaKvClient(options.bootstrapServers(), options.clusterId(),
                options.members(), options.timeout())) {
            Duration left = options.timeout().minusNanos(System.nanoTime() - began);
            Duration commandTimeout = left.toMillis() < KafkaKvClient.MIN_ATTEMPT_MILLIS
                    ? Duration.ofMillis(KafkaKvClient.MIN_ATTEMPT_MILLIS) : left;
            KvResult result = client.execute(options.command(), commandTimeout);
            out.println(KvFormat.result(options.command(), result));
            return 0;
        } catch (ClusterException e) {
            err.println(KvFormat.error(e.getMessage()));
            return 1;
        }
    }
}
