package io.raftbus.examples.kv;

import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code broker}: a single-node development Kafka broker ({@link EmbeddedKafkaBroker}: KRaft, plaintext, bound to
 * 127.0.0.1, data in a temporary directory) for trying {@code node} and {@code client} on one machine. Prints its
 * bootstrap address and runs until the process is stopped (Ctrl-C or SIGTERM stop the broker and delete its data).
 */
final class BrokerMode {

    private BrokerMode() {
    }

    /** Starts the broker and blocks until the JVM shuts down. */
    static int run(PrintStream out) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            out.println("broker stopped");
            out.flush();
            stopped.countDown();
        }, "raftbus-kv-broker-shutdown"));
        out.println("Kafka broker at " + broker.bootstrapServers() + " (development only: one node, plaintext, "
                + "data in " + broker.dataDir() + ", deleted at exit). Use --bootstrap " + broker.bootstrapServers()
                + " for node and client. Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return Main.OK;
    }
}
