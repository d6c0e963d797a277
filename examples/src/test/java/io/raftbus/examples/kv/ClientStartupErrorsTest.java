package io.raftbus.examples.kv;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user sees when Kafka or the data directory is not as expected: the command returns within its stated
 * bound (checked generously: "it returns", not a speed) with the real cause in the message.
 */
class ClientStartupErrorsTest {

    /** Far above a 2 s --timeout on a loaded machine, far below the minute-long hangs this guards against. */
    private static final Duration GENEROUS = TestDeadlines.seconds(30);

    @TempDir
    Path dir;

    private final MainRun main = new MainRun();

    private int run(String... args) {
        return main.run(args);
    }

    @Test
    void aBrokerThatAcceptsButNeverAnswersFailsTheClientWithinItsTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long began = System.nanoTime();
            int exit = run("client", "--bootstrap", "127.0.0.1:" + silent.getLocalPort(), "--timeout", "2", "get", "k");
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertEquals(Main.FAILURE, exit);
            assertTrue(took.compareTo(GENEROUS) < 0, "the client took " + took + " with --timeout 2");
            String message = main.err();
            assertTrue(message.contains("could not reach the brokers"), message);
            assertTrue(message.contains("no answer from the brokers"), message);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void anUnresolvableBootstrapHostIsNamed() {
        assertEquals(Main.FAILURE, run("client", "--bootstrap", "no-such-host.invalid:9092", "--timeout", "2",
                "get", "k"));
        String message = main.err();
        assertTrue(message.contains("no-such-host.invalid cannot be resolved"), message);
    }

    @Test
    void anIllegalClusterNameIsRefusedBeforeTheLogFileIsWritten() {
        Path log = dir.resolve("n1.db");
        assertThrows(RuntimeException.class, () -> KvNode.start("n1", Set.of("n1"), "no spaces allowed",
                "127.0.0.1:1", log, RaftConfig.defaults(), false));
        assertFalse(Files.exists(log), "the log was created for a cluster name that is then refused");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        int exit = run("node", "--id", "n1", "--members", "n1", "--bootstrap", "127.0.0.1:1", "--data",
                file.resolve("sub").toString());
        assertEquals(Main.FAILURE, exit);
        String message = main.err();
        assertTrue(message.contains("the data directory " + file.resolve("sub") + " cannot be created"), message);
    }
}
