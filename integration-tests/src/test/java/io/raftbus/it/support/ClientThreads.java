package io.raftbus.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The concurrent clients of a scenario: one daemon thread per client, each running its loop while
 * {@link #running()}, until {@link #stopAndJoin} stops them all.
 */
public final class ClientThreads {

    /** One client's loop: it returns once {@code running} is false (or on its own). */
    @FunctionalInterface
    public interface Client {
        void run(int client, AtomicBoolean running);
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    private ClientThreads() {
    }

    /** Starts {@code count} clients, numbered from 0, in threads named {@code namePrefix} and the number. */
    public static ClientThreads start(int count, String namePrefix, Client client) {
        ClientThreads clients = new ClientThreads();
        for (int c = 0; c < count; c++) {
            int number = c;
            Thread t = new Thread(() -> client.run(number, clients.running), namePrefix + c);
            t.setDaemon(true);
            clients.threads.add(t);
            t.start();
        }
        return clients;
    }

    /** The flag the clients loop on. */
    public AtomicBoolean running() {
        return running;
    }

    /**
     * Tells every client to stop and waits up to {@code joinMillisEach} for each in turn (an operation in flight
     * ends at its own timeout; a thread still running after that is a daemon and does not hold the JVM).
     */
    public void stopAndJoin(long joinMillisEach) throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(joinMillisEach);
        }
    }
}
