package io.raftbus.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Submits fresh opaque commands until one is acknowledged, to see when a cluster commits again. */
public final class Probe {

    /** A new attempt this often while none has succeeded; earlier attempts stay outstanding. */
    private static final long ATTEMPT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Probe() {
    }

    private record Attempt(String tag, CompletableFuture<byte[]> result) {

        boolean succeeded() {
            return result.isDone() && !result.isCompletedExceptionally()
                    && tag.equals(new String(result.join(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Keeps submitting (to the leader if known, else any running node) until a command is acknowledged; returns its
     * tag. Attempts overlap: one stuck on a node that has not yet heard of the new leader (a forward to a dead
     * leader waits out its forward timeout) does not hide a later one that commits, so the time measured is when
     * the cluster commits again, not when a stuck attempt gives up. Fails when {@code timeout} passes first.
     */
    public static String commitOne(ClusterHarness cluster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Attempt> attempts = new ArrayList<>();
        long nextAttemptAt = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextAttemptAt || attempts.stream().allMatch(a -> a.result().isDone())) {
                String tag = "probe-" + UUID.randomUUID();
                attempts.add(new Attempt(tag, cluster.submit(KvCodec.opaque(tag))));
                nextAttemptAt = System.nanoTime() + ATTEMPT_EVERY_NANOS;
            }
            Optional<Attempt> done = attempts.stream().filter(Attempt::succeeded).findFirst();
            if (done.isPresent()) {
                return done.get().tag();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        String failures = attempts.stream().filter(a -> a.result().isCompletedExceptionally()).limit(3)
                .map(a -> a.result().handle((r, e) -> String.valueOf(e)).join()).toList().toString();
        throw new AssertionError("no command committed within " + timeout.toMillis() + " ms (" + attempts.size()
                + " attempts; some failures: " + failures + "); cluster:" + cluster.describe());
    }
}
