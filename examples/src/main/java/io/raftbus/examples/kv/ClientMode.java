package io.raftbus.examples.kv;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.spi.Transport;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code client}: sends one key-value command to the cluster through Kafka and prints its result. The client is a
 * transport endpoint whose id is not a member, so it has its own reply inbox; it sends a {@link CommandRequest} to a
 * member, follows {@code NOT_LEADER} hints, moves on to the next member when one stays silent (for a third of the
 * timeout, at least 2 s), and prints the first
 * {@code APPLIED} answer to any of its attempts. A command retried after a silent attempt may be applied twice;
 * put, get and del tolerate that, a cas may then report a mismatch caused by its own first application.
 */
final class ClientMode {

    /** The shortest time one attempt waits for an answer before trying the next member. */
    static final long MIN_ATTEMPT_MILLIS = 2000;

    private ClientMode() {
    }

    /** @return 0 when the command was applied, 1 otherwise */
    static int run(Invocation.Client options, PrintStream out, PrintStream err) throws InterruptedException {
        String clientId = "client-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] command = options.command().encode();
        LinkedBlockingQueue<CommandResponse> responses = new LinkedBlockingQueue<>();
        long deadline = System.nanoTime() + options.timeout().toNanos(); // connecting to Kafka included
        try (Transport transport = KafkaTransports.forClient(options.bootstrapServers(), options.clusterId(),
                Set.copyOf(options.members()), options.timeout())) {
            transport.start(clientId, message -> {
                if (message instanceof CommandResponse response) {
                    responses.add(response);
                }
            });
            // however long connecting took, the command itself gets at least one attempt's minimum
            deadline = Math.max(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MIN_ATTEMPT_MILLIS));
            // a third of the timeout per attempt: time for a slow leader, and for two more members if it is down
            long attemptMillis = Math.max(MIN_ATTEMPT_MILLIS, options.timeout().toMillis() / 3);
            List<String> members = options.members();
            Set<Long> sent = new HashSet<>();
            long requestId = 0;
            String target = members.get(0);
            String lastProblem = "no member answered";
            while (System.nanoTime() - deadline < 0) {
                requestId++;
                sent.add(requestId);
                transport.send(new CommandRequest(options.clusterId(), clientId, target, 0, requestId, command));
                long attemptEnd = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(attemptMillis));
                String next = null;
                while (next == null && System.nanoTime() - attemptEnd < 0) {
                    CommandResponse response = responses.poll(attemptEnd - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (response == null || !sent.contains(response.requestId())) {
                        continue;
                    }
                    switch (response.status()) {
                        case APPLIED -> {
                            out.println(KvFormat.result(options.command(), KvResult.decode(response.result())));
                            return 0;
                        }
                        case REJECTED -> {
                            err.println(KvFormat.error(response.from() + " rejected the command: " + response.error()));
                            return 1;
                        }
                        case NOT_LEADER -> {
                            if (response.requestId() == requestId) {
                                lastProblem = response.from() + " is not the leader";
                                next = response.leaderHint() != null && members.contains(response.leaderHint())
                                        ? response.leaderHint() : after(members, target);
                                if (response.leaderHint() == null) {
                                    waitBriefly(deadline); // an election is under way
                                }
                            }
                        }
                        case ACCEPTED -> {
                            // a member's acknowledgement; an external client waits for APPLIED
                        }
                    }
                }
                if (next == null) {
                    lastProblem = target + " did not answer within " + attemptMillis + " ms";
                    next = after(members, target);
                }
                target = next;
            }
            err.println(KvFormat.error("no result within " + options.timeout().toMillis() + " ms (" + lastProblem + ")"));
            return 1;
        }
    }

    private static String after(List<String> members, String member) {
        return members.get((members.indexOf(member) + 1) % members.size());
    }

    private static void waitBriefly(long deadline) throws InterruptedException {
        long nanos = Math.min(TimeUnit.MILLISECONDS.toNanos(100), deadline - System.nanoTime());
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
