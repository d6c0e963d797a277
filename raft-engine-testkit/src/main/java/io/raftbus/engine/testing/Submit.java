package io.raftbus.engine.testing;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RetriableCommandException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Submitting commands the way a careful client does. */
public final class Submit {

    private Submit() {
    }

    /**
     * Submits {@code command} on {@code node}, retrying after a short pause only failures that guarantee the command
     * was not applied ({@link RetriableCommandException}: no leader yet, backpressure, replaced before commit), at
     * most {@code attemptsLeft} more times. Any other failure fails the returned future.
     */
    public static CompletableFuture<byte[]> retrying(RaftNode node, byte[] command, int attemptsLeft) {
        return node.submit(command).handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!(cause instanceof RetriableCommandException) || attemptsLeft <= 0) {
                return CompletableFuture.<byte[]>failedFuture(cause);
            }
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> retrying(node, command, attemptsLeft - 1));
        }).thenCompose(f -> f);
    }
}
