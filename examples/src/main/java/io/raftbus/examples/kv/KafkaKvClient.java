package io.raftbus.examples.kv;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.spi.Transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An external key-value client talking to the cluster through Kafka. It is a transport endpoint whose id is not a
 * member, so it has its own reply inbox; it sends a {@link CommandRequest} to a member, follows {@code NOT_LEADER}
 * hints, moves on to the next member when one stays silent (for a third of the timeout, at least 2 s), and returns
 * the first {@code APPLIED} answer to any of its attempts. A command resent after a silent attempt may be applied
 * twice; put, get and del tolerate that, a cas may then report a mismatch caused by its own first application.
 *
 * <p>The members it was given are only where it starts: a hint naming a node it did not know (one added since) is
 * followed and that node joins the list, and each command starts at the node that answered the last one (the leader
 * then), so members removed or stopped since are not waited for again.
 *
 * <p>Not thread-safe: one command at a time.
 */
final class KafkaKvClient implements AutoCloseable {

    /** The shortest time one attempt waits for an answer before trying the next member. */
    static final long MIN_ATTEMPT_MILLIS = 2000;
    /** How long to wait before retrying when a member knows no leader (an election is under way). */
    private static final long NO_LEADER_PAUSE_MILLIS = 100;

    private final String clusterId;
    /** The members to try, in order: those given, then those learned from answers. */
    private final List<String> members;
    private final String clientId = "client-" + UUID.randomUUID().toString().substring(0, 8);
    private final Transport transport;
    private final LinkedBlockingQueue<CommandResponse> responses = new LinkedBlockingQueue<>();
    private long lastRequestId;
    /** The node that answered the last command (the leader then), tried first; null before the first answer. */
    private String lastLeader;
    /** The nodes the last command was sent to, in order. */
    private final List<String> lastTargets = new ArrayList<>();

    /**
     * Connects to Kafka (start-up, retries included, ending by {@code deadlineNanos}) and creates the client's inbox.
     *
     * @param members the members to try, the first one first
     * @param kafkaProperties Kafka client settings (security and the like)
     * @param deadlineNanos {@link System#nanoTime()} by which connecting must be done
     */
    KafkaKvClient(String bootstrapServers, String clusterId, List<String> members, Map<String, String> kafkaProperties,
                  long deadlineNanos) {
        this.clusterId = clusterId;
        this.members = new ArrayList<>(members);
        this.transport = KafkaTransports.forClient(bootstrapServers, clusterId, Set.copyOf(members), kafkaProperties,
                deadlineNanos);
        try {
            transport.start(clientId, message -> {
                if (message instanceof CommandResponse response) {
                    responses.add(response);
                }
            });
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /**
     * Runs one command and waits for its result until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @param attemptBase the timeout the user gave: an attempt at one member lasts a third of it (at least
     *                    {@link #MIN_ATTEMPT_MILLIS}, never past the deadline)
     * @throws ClusterException if a member rejected it or no result arrived by the deadline; the message names
     *                          {@code attemptBase}, the bound the user knows
     */
    KvResult execute(KvCommand command, long deadlineNanos, Duration attemptBase) throws InterruptedException {
        byte[] bytes = command.encode();
        long deadline = deadlineNanos;
        long attemptNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(MIN_ATTEMPT_MILLIS, attemptBase.toMillis() / 3));
        Set<Long> sent = new HashSet<>();
        String target = lastLeader != null ? lastLeader : members.get(0);
        String lastProblem = "connecting to Kafka used all of it";
        lastTargets.clear();
        while (System.nanoTime() - deadline < 0) {
            long requestId = ++lastRequestId;
            lastTargets.add(target);
            sent.add(requestId);
            // a get is a linearizable read on the leader (no log entry); the rest are commands
            transport.send(new CommandRequest(clusterId, clientId, target, 0, requestId, bytes,
                    command instanceof KvCommand.Get));
            long attemptStart = System.nanoTime();
            long attemptEnd = Math.min(deadline, attemptStart + attemptNanos);
            String next = null;
            while (next == null && System.nanoTime() - attemptEnd < 0) {
                CommandResponse response = responses.poll(attemptEnd - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (response == null || !sent.contains(response.requestId())) {
                    continue;
                }
                switch (response.status()) {
                    case APPLIED -> {
                        lastLeader = learn(response.from());
                        return KvResult.decode(response.result());
                    }
                    case REJECTED -> throw new ClusterException(response.from() + " rejected the command: "
                            + response.error());
                    case NOT_LEADER -> {
                        if (response.requestId() == requestId) {
                            lastProblem = response.from() + " is not the leader";
                            next = redirect(response, target);
                        }
                    }
                    case ACCEPTED -> {
                        // a member's acknowledgement; an external client waits for APPLIED
                    }
                }
            }
            if (next == null) {
                lastProblem = target + " did not answer within "
                        + KvFormat.seconds(Duration.ofNanos(System.nanoTime() - attemptStart));
                next = after(target);
            }
            target = next;
        }
        throw new ClusterException("no result within the timeout of " + KvFormat.seconds(attemptBase) + " ("
                + lastProblem + ")");
    }

    /**
     * Where to send next after {@code NOT_LEADER}: the hinted leader (learned as a member if it is new here), or the
     * next member after a short pause.
     */
    private String redirect(CommandResponse notLeader, String target) throws InterruptedException {
        if (notLeader.leaderHint() != null && !notLeader.leaderHint().equals(clientId)) {
            return learn(notLeader.leaderHint());
        }
        TimeUnit.MILLISECONDS.sleep(NO_LEADER_PAUSE_MILLIS); // an election is under way
        return after(target);
    }

    /** Adds {@code node} to the members tried (at the end) if it is new; returns it. */
    private String learn(String node) {
        if (!members.contains(node)) {
            members.add(node);
        }
        return node;
    }

    /** The node that answered the last command, if any (the leader then). */
    String lastLeader() {
        return lastLeader;
    }

    /** The nodes the last command was sent to, in order (for tests). */
    List<String> lastTargets() {
        return List.copyOf(lastTargets);
    }

    /** The members this client tries, learned ones included. */
    List<String> members() {
        return List.copyOf(members);
    }

    private String after(String member) {
        return members.get((members.indexOf(member) + 1) % members.size());
    }

    @Override
    public void close() {
        transport.close();
    }
}
