package io.raftbus.examples.kv;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes registered resources once, newest first, from whichever thread gets there first: the normal end of the
 * demo or the shutdown hook that runs on Ctrl-C.
 */
final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Registers {@code resource} and returns it. */
    synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything registered so far; later calls close only what was registered since. */
    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException r ? r : new RuntimeException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
