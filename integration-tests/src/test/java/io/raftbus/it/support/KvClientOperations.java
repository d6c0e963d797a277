package io.raftbus.it.support;

import io.raftbus.engine.RetriableCommandException;
import io.raftbus.it.linearizability.HistoryRecorder;
import io.raftbus.it.linearizability.KvInput;
import io.raftbus.it.linearizability.KvOutput;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * What the linearizability scenarios' clients share: a random mix of put, get, cas and del on one key, and one
 * operation sent with its outcome recorded by the exception contract.
 */
public final class KvClientOperations {

    private KvClientOperations() {
    }

    /**
     * A put (30%), get (40%), cas (20%, expecting a value some client may have written) or del (10%) of {@code key};
     * {@code value} is what a put or cas writes, {@code written} (at least 1) how many values this client made.
     */
    public static KvInput mixed(Random random, String key, String value, int clients, int written) {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> KvInput.put(key, value);
            case 3, 4, 5, 6 -> KvInput.get(key);
            case 7, 8 -> KvInput.cas(key, "c" + random.nextInt(clients) + "-" + random.nextInt(written), value);
            default -> KvInput.del(key);
        };
    }

    /**
     * Records {@code input}'s invocation, sends its encoding with {@code send} and records the outcome: its result;
     * nothing after a {@link RetriableCommandException} (certainly not applied, so not part of the history), then a
     * 10 ms pause; unknown after any other failure or no answer within {@code timeoutMs}.
     *
     * @return false if interrupted (the thread's interrupt flag is set again)
     */
    public static boolean perform(int client, KvInput input, Function<byte[], CompletableFuture<byte[]>> send,
            long timeoutMs, HistoryRecorder<KvInput, KvOutput> recorder, AtomicInteger completed) {
        int id = recorder.invoke(client, input);
        try {
            byte[] result = send.apply(KvCodec.encode(input)).get(timeoutMs, TimeUnit.MILLISECONDS);
            recorder.ok(id, KvCodec.decodeOutput(result));
            completed.incrementAndGet();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableCommandException) {
                recorder.discard(id);
            } else {
                recorder.unknown(id);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        } catch (TimeoutException e) {
            recorder.unknown(id);
        } catch (InterruptedException e) {
            recorder.unknown(id);
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * How the linearizability scenarios route an operation: mostly to the leader, a quarter through any running
     * node (an isolated one, a learner, one being removed), like a stale client; most gets are ReadIndex reads (no
     * log entry), the rest go through the log like writes.
     */
    public static Function<byte[], CompletableFuture<byte[]>> mostlyViaLeader(ClusterHarness cluster, Random random,
            KvInput input) {
        return command -> {
            boolean viaAny = random.nextInt(4) == 0;
            boolean read = input.kind() == KvInput.Kind.GET && random.nextInt(4) != 0;
            return read ? (viaAny ? cluster.readViaAnyNode(command) : cluster.read(command))
                    : (viaAny ? cluster.submitViaAnyNode(command) : cluster.submit(command));
        };
    }
}
