package io.raftbus.benchmarks.versus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A started three-node cluster of one consensus library, in this JVM, with an in-memory transport and log and a
 * state machine that does nothing. Commands and reads go to the leader found by the last {@link #awaitLeader}.
 */
interface ClusterUnderTest extends AutoCloseable {

    /** Waits until every node names the same leader in the same term; fails after {@code timeout}. */
    void awaitLeader(Duration timeout) throws TimeoutException;

    /** The leader found by the last {@link #awaitLeader} and its term, e.g. {@code n2 in term 3}. */
    String leaderAndTerm();

    /** Replicates {@code command} through the leader; completes once it is committed and applied there. */
    CompletableFuture<?> submit(byte[] command);

    /** A linearizable read of {@code query} on the leader, served without a log entry where the library can. */
    CompletableFuture<?> read(byte[] query);

    /** Stops every node and waits for their threads to be told to stop. */
    @Override
    void close();
}
