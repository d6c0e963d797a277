package io.raftbus.engine.testing;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RetriableCommandException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Submitting commands and reads the way a careful client does. */
public final class Submit {

    private static final long PAUSE_MILLIS = 20;

    private Submit() {
    }

    /**
     * Submits {@code command} on {@code node}, retrying after a short pause only failures that guarantee the command
     * was not applied ({@link RetriableCommandException}: no leader yet, backpressure, replaced before commit) until
     * {@link Await#DEFAULT_TIMEOUT} has passed; then the last such failure fails the returned future. Any other
     * failure fails it at once. Bounded by time, not by a count of attempts: an election on a loaded machine may
     * take seconds.
     */
    public static CompletableFuture<byte[]> retrying(RaftNode node, byte[] command) {
        return retryingUntil(node, command, System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos());
    }

    /**
     * The same as {@link #retrying(RaftNode, byte[])}: {@code attemptsLeft} is ignored, kept only so that callers
     * written against the old count-bounded version still compile.
     *
     * @deprecated a count of attempts was a time bound in disguise (about 20 ms each) that failed on a loaded
     *     machine; use {@link #retrying(RaftNode, byte[])}
     */
    @Deprecated
    public static CompletableFuture<byte[]> retrying(RaftNode node, byte[] command, int attemptsLeft) {
        return retrying(node, command);
    }

    /**
     * Reads {@code query} on {@code node} ({@link RaftNode#read(byte[])}), retrying as
     * {@link #retrying(RaftNode, byte[])} does the failures that say it was not served
     * ({@link RetriableCommandException}, e.g. {@code ReadNotServedException} while leadership moves on a loaded
     * machine); a read changes nothing, so retrying it is always safe.
     */
    public static CompletableFuture<byte[]> readRetrying(RaftNode node, byte[] query) {
        return retryingUntil(() -> node.read(query), System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos());
    }

    private static CompletableFuture<byte[]> retryingUntil(RaftNode node, byte[] command, long deadline) {
        return retryingUntil(() -> node.submit(command), deadline);
    }

    private static CompletableFuture<byte[]> retryingUntil(Supplier<CompletableFuture<byte[]>> attempt,
                                                           long deadline) {
        return attempt.get().handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!(cause instanceof RetriableCommandException) || System.nanoTime() - deadline > 0) {
                return CompletableFuture.<byte[]>failedFuture(cause);
            }
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(PAUSE_MILLIS, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> retryingUntil(attempt, deadline));
        }).thenCompose(f -> f);
    }
}
