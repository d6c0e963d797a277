package io.raftbus.examples.kv;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.CommandTooLargeException;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.session.RaftClient;
import io.raftbus.engine.session.SessionExpiredException;
import io.raftbus.engine.spi.Transport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;


/**
 * An external key-value client with a client session ({@link RaftClient}) over Kafka: every command is applied
 * exactly once, however often it is retried (after a silent member, a NOT_LEADER answer or a leader change), and
 * its result is the one of its single application. It goes first to the member that answered it last, follows
 * NOT_LEADER hints (learning members added since its list was written), and moves on to the next member after a
 * third of the timeout (at least {@link #MIN_ATTEMPT_MILLIS}) of silence.
 *
 * <p>The session is registered at the first command. If it has expired (idle for the cluster's session timeout of
 * log time), a command that certainly was not applied is submitted again in a new session; one that may have been is
 * reported as such. A {@code get} is a linearizable read ({@link #read}: no log entry), through the session's client
 * if there is one, else through a client opened for reads only (no session registered). {@link #close()} closes the
 * session in the cluster (best effort) and the transports. Thread-safe (commands may run concurrently, each with its
 * own seq).
 */
final class SessionKvClient implements AutoCloseable {

    /** The shortest time one attempt waits for an answer before trying the next member. */
    static final long MIN_ATTEMPT_MILLIS = 2000;

    private final Transports transports;
    private int sessions;
    private final String clusterId;
    private final Set<String> members;
    private final String clientId;
    private RaftClient client;
    /** The cluster's session idle timeout, when this client keeps its sessions alive while idle; 0: it does not. */
    private long keepAliveIdleTimeoutMs;
    /** A client for reads only, opened at a read while there is no session; null otherwise. */
    private RaftClient reader;
    private String lastLeader;

    /** Makes the transport of a client endpoint {@code clientId} whose start ends by {@code deadlineNanos}. */
    @FunctionalInterface
    interface Transports {
        Transport open(String clientId, long deadlineNanos);
    }

    /**
     * @param transports makes the client's transport (a Kafka client endpoint) whose start must end by the given
     *                   {@link System#nanoTime()} deadline; called at the first command and again when an expired
     *                   session is replaced (then with a new client id: the first one with {@code -2} appended,
     *                   and so on)
     * @param members where to start: the cluster's members as the caller knows them
     */
    SessionKvClient(Transports transports, String clusterId, Set<String> members) {
        this(transports, clusterId, members, "client-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** As {@link #SessionKvClient(Transports, String, Set)}, with the client's transport id (not a member id). */
    SessionKvClient(Transports transports, String clusterId, Set<String> members, String clientId) {
        this.clientId = clientId;
        this.transports = transports;
        this.clusterId = clusterId;
        this.members = Set.copyOf(members);
    }

    /**
     * Runs {@code command} exactly once and returns its result, within {@code timeout} (registering a session first
     * if this client has none).
     *
     * @throws ClusterException no result within the timeout, or a refusal: the message starts with "not applied"
     *                          or "outcome unknown" (it may still be applied, at most once); or the session could not
     *                          be registered
     */
    KvResult execute(KvCommand command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean retriedInNewSession = false;
        while (true) {
            RaftClient session = session(deadline, timeout);
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs < 1) {
                throw new ClusterException("no result within the timeout of " + KvFormat.seconds(timeout)
                        + ": opening the client session used all of it; the command was not sent");
            }
            try {
                byte[] result = session.submit(command.encode(), leftMs).get();
                remember(session);
                return KvResult.decode(result);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SessionExpiredException expired && !expired.earlierAttemptMayHaveApplied()
                        && !retriedInNewSession) {
                    dropSession(session); // certainly not applied: the same command in a new session
                    retriedInNewSession = true;
                    continue;
                }
                throw failure(cause, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while waiting for the result; the command may still be"
                        + " applied (once)");
            }
        }
    }

    /**
     * Keeps every session this client opens from now on alive while it is idle ({@link RaftClient#keepAliveWhileIdle}),
     * for a long-lived client such as the demo console.
     *
     * @param sessionIdleTimeoutMs the cluster's session idle timeout ({@link KvNode#SESSION_IDLE_TIMEOUT_MS})
     * @return this client
     */
    synchronized SessionKvClient keepSessionsAlive(long sessionIdleTimeoutMs) {
        this.keepAliveIdleTimeoutMs = sessionIdleTimeoutMs;
        if (client != null) {
            client.keepAliveWhileIdle(sessionIdleTimeoutMs);
        }
        return this;
    }

    /**
     * Runs {@code get} as a linearizable read, within {@code timeout}: its result reflects every command answered
     * before the call, and it writes nothing to the log.
     *
     * @throws ClusterException no answer within the timeout (nothing changed: running it again is safe), or the
     *                          query was refused
     */
    KvResult read(KvCommand.Get get, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RaftClient reading = readClient(deadline, timeout);
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            byte[] result = reading.read(get.encode(), leftMs).get();
            remember(reading);
            return KvResult.decode(result);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ReadNotServedException) {
                throw new ClusterException("no result within the timeout of " + KvFormat.seconds(timeout)
                        + "; a read changes nothing, so running it again is safe (" + cause.getMessage() + ")", cause);
            }
            throw new ClusterException(String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting for the read; it changed nothing");
        }
    }

    private synchronized RaftClient readClient(long deadline, Duration timeout) {
        if (client != null) {
            return client;
        }
        if (reader != null) {
            return reader;
        }
        long leftMs = leftBeforeConnecting(deadline, timeout);
        long attemptMs = Math.min(leftMs, Math.max(MIN_ATTEMPT_MILLIS, timeout.toMillis() / 3));
        String id = nextClientId();
        reader = RaftClient.openForReads(transports.open(id, deadline), id, clusterId, lastLeader == null ? members
                : with(members, lastLeader), leftMs, attemptMs);
        return reader;
    }

    /** Milliseconds left of {@code timeout} before connecting a client; fails if none are. */
    private static long leftBeforeConnecting(long deadline, Duration timeout) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs < 1) {
            throw new ClusterException("no result within the timeout of " + KvFormat.seconds(timeout)
                    + " (connecting to Kafka used all of it)");
        }
        return leftMs;
    }

    private String nextClientId() {
        return ++sessions == 1 ? clientId : clientId + "-" + sessions;
    }

    private synchronized RaftClient session(long deadline, Duration timeout) {
        if (client != null) {
            return client;
        }
        long leftMs = leftBeforeConnecting(deadline, timeout);
        long attemptMs = Math.min(leftMs, Math.max(MIN_ATTEMPT_MILLIS, timeout.toMillis() / 3));
        String id = nextClientId();
        Transport transport = transports.open(id, deadline);
        try {
            client = RaftClient.open(transport, id, clusterId, lastLeader == null ? members
                    : with(members, lastLeader), leftMs, attemptMs).get(leftMs + 1000, TimeUnit.MILLISECONDS);
            if (keepAliveIdleTimeoutMs > 0) {
                client.keepAliveWhileIdle(keepAliveIdleTimeoutMs);
            }
            return client;
        } catch (ExecutionException e) {
            throw new ClusterException("could not open a client session within the timeout of "
                    + KvFormat.seconds(timeout) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            transport.close();
            throw new ClusterException("could not open a client session within the timeout of "
                    + KvFormat.seconds(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            transport.close();
            throw new ClusterException("interrupted while opening a client session");
        }
    }

    private static Set<String> with(Set<String> members, String member) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(members);
        all.add(member);
        return all;
    }

    private synchronized void remember(RaftClient session) {
        if (session.leader() != null) {
            lastLeader = session.leader();
        }
    }

    private synchronized void dropSession(RaftClient session) {
        if (client == session) {
            client = null;
            lastLeader = session.leader() != null ? session.leader() : lastLeader;
            session.close();
        }
    }

    /**
     * What the user is told, saying exactly what is known: "not applied" (certainly not, and never will be: safe to
     * run again) or "outcome unknown" (it may still be applied, at most once).
     */
    private static ClusterException failure(Throwable cause, Duration timeout) {
        if (cause instanceof CommandTooLargeException) {
            return new ClusterException("not applied: command too large: " + cause.getMessage(), cause);
        }
        if (cause instanceof SessionExpiredException expired) {
            return new ClusterException(expired.earlierAttemptMayHaveApplied()
                    ? "outcome unknown: it may have been applied, at most once, before its session expired ("
                    + cause.getMessage() + ")"
                    : "not applied: " + cause.getMessage(), cause);
        }
        if (cause instanceof RetriableCommandException) { // e.g. too many unacknowledged results in the session
            return new ClusterException("not applied: " + cause.getMessage(), cause);
        }
        if (cause instanceof CommandOutcomeUnknownException) {
            return new ClusterException("outcome unknown (within the timeout of " + KvFormat.seconds(timeout)
                    + "): the command may still be applied, at most once (" + cause.getMessage() + ")", cause);
        }
        return new ClusterException(String.valueOf(cause.getMessage()), cause);
    }

    /** The member that answered the last command or read (the leader then); null before the first answer. */
    synchronized String lastLeader() {
        return client != null && client.leader() != null ? client.leader() : lastLeader;
    }

    /** The session's id in the cluster; 0 while this client has none. */
    synchronized long sessionId() {
        return client == null ? 0 : client.sessionId();
    }

    /** The members this client tries, learned ones included (empty before the first command). */
    synchronized List<String> members() {
        return client == null ? List.of() : client.members();
    }

    /**
     * Closes the session in the cluster (best effort, bounded by {@code SessionClient.CLOSE_TIMEOUT_MS}; a session not
     * closed expires after the cluster's idle timeout) and the transports (deleting the client's inboxes).
     */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
