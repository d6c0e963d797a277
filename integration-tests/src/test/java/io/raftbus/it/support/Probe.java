package io.raftbus.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Submits fresh opaque commands until one is acknowledged, to see when a cluster commits again. */
public final class Probe {

    private Probe() {
    }

    /**
     * Keeps submitting (to the leader if known, else any running node) until a command is acknowledged; returns its
     * tag. Fails when {@code timeout} passes first.
     */
    public static String commitOne(ClusterHarness cluster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            String tag = "probe-" + UUID.randomUUID();
            long remaining = Math.max(1, deadline - System.nanoTime());
            try {
                byte[] result = cluster.submit(KvCodec.opaque(tag))
                        .get(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
                if (tag.equals(new String(result, StandardCharsets.UTF_8))) {
                    return tag;
                }
            } catch (ExecutionException e) {
                last = e.getCause();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("no command committed within " + timeout.toMillis() + " ms; last failure: " + last
                + "; cluster:" + cluster.describe());
    }
}
