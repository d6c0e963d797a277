package io.raftbus.engine.session;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.CommandTooLargeException;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.ReadNotServedException;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An external client of a cluster running client sessions, over any {@link Transport} (for example Kafka): it is no
 * cluster member, so it has its own id and inbox, and sends {@link CommandRequest}s that the leader answers with
 * {@link CommandResponse}s once applied. It registers a session, numbers its commands, and retries each with the same
 * (session, seq), under a new request id, after NOT_LEADER (following the hint), a refusal, or no answer within
 * {@code attemptTimeoutMs} (next member); the session table applies the command at most once and answers every copy
 * with the first application's result. It remembers the member that last answered as leader and goes there first,
 * and adds a hinted leader it was not given to the members it tries (one added since its list was written).
 *
 * <p>Every command is bounded by {@code timeoutMs}: by then it has its result or fails with
 * {@link CommandOutcomeUnknownException}: some attempt, or a delayed network copy of one, may still be appended and
 * applied, at most once. (A client cannot promise "certainly not applied" for a request a lossy network may still
 * deliver.)
 *
 * <p>{@link #read} is a linearizable read: a query the leader answers through ReadIndex (thesis §6.4), without a log
 * entry, retried to the next member or the hinted leader like a command; one not answered within its timeout fails
 * with {@link ReadNotServedException} (reading again is always safe). {@link #keepAliveWhileIdle} keeps the session
 * alive while the client sends nothing (off unless called: the client does not know the cluster's idle timeout).
 * Thread-safe; {@link #close()} stops the keep-alives and closes the transport.
 */
public final class RaftClient implements AutoCloseable {

    private final Transport transport;
    private final String clientId;
    private final String clusterId;
    /** The members tried: those given (sorted), then those learned from NOT_LEADER hints. */
    private final List<String> members;
    private final long timeoutMs;
    private final long attemptTimeoutMs;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<Long, Command> byRequest = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong(new SplittableRandom().nextLong() >>> 2);
    private final TreeSet<Long> waiting = new TreeSet<>();
    private volatile String leader;
    private volatile long sessionId;
    private volatile IdleKeepAlive keepAlives;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private long nextSeq = 1;

    private RaftClient(Transport transport, String clientId, String clusterId, Set<String> members, long timeoutMs,
                       long attemptTimeoutMs) {
        this.transport = transport;
        this.clientId = clientId;
        this.clusterId = clusterId;
        this.members = new java.util.concurrent.CopyOnWriteArrayList<>(new TreeSet<>(members));
        this.timeoutMs = timeoutMs;
        this.attemptTimeoutMs = attemptTimeoutMs;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "raftbus-client-" + clientId);
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // deadlines of answered commands leave nothing queued
        this.timer = t;
    }

    /**
     * Starts {@code transport} as {@code clientId} (not a member id) and registers a session with the cluster of
     * {@code members}. The future fails as a command would if no registration is answered within {@code timeoutMs}.
     *
     * @param timeoutMs the bound on registering and on each command
     * @param attemptTimeoutMs how long one attempt waits for an answer before the next member is tried
     */
    public static CompletableFuture<RaftClient> open(Transport transport, String clientId, String clusterId,
                                                     Set<String> members, long timeoutMs, long attemptTimeoutMs) {
        RaftClient client = start(transport, clientId, clusterId, members, timeoutMs, attemptTimeoutMs);
        Command register = client.new Command(SessionEnvelope.register(clientId.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).encode(), "registering a session for " + clientId,
                timeoutMs);
        return client.reply(register).thenApply(reply -> {
            if (reply.status() != SessionReply.Status.REGISTERED) {
                throw new RaftException("registering a session for " + clientId + " got " + reply.status());
            }
            client.sessionId = reply.value();
            return client;
        }).whenComplete((c, failure) -> {
            if (failure != null) {
                client.close();
            }
        });
    }

    /**
     * Starts {@code transport} as {@code clientId} for {@link #read reads} only: no session is registered (no log
     * entry, nothing to close in the cluster), so {@link #submit} and the keep-alives fail with
     * {@link IllegalStateException}. For a client that only reads, such as a one-shot {@code get}.
     *
     * @param timeoutMs the bound on each read
     * @param attemptTimeoutMs how long one attempt waits for an answer before the next member is tried
     */
    public static RaftClient openForReads(Transport transport, String clientId, String clusterId, Set<String> members,
                                          long timeoutMs, long attemptTimeoutMs) {
        return start(transport, clientId, clusterId, members, timeoutMs, attemptTimeoutMs);
    }

    private static RaftClient start(Transport transport, String clientId, String clusterId, Set<String> members,
                                    long timeoutMs, long attemptTimeoutMs) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clusterId, "clusterId");
        if (members.isEmpty() || members.contains(clientId)) {
            throw new IllegalArgumentException("members must be the cluster's node ids, not empty and without the"
                    + " client's own id " + clientId + ": " + members);
        }
        if (timeoutMs < 1 || attemptTimeoutMs < 1) {
            throw new IllegalArgumentException("timeouts must be >= 1 ms: " + timeoutMs + ", " + attemptTimeoutMs);
        }
        RaftClient client = new RaftClient(transport, clientId, clusterId, members, timeoutMs, attemptTimeoutMs);
        transport.start(clientId, client::onMessage);
        return client;
    }

    private void requireSession(String what) {
        if (sessionId == 0) {
            throw new IllegalStateException(clientId + " was opened for reads only (openForReads): it has no session"
                    + " to " + what);
        }
    }

    /** The session id (the log index of the registration); 0 for a client opened for reads only. */
    public long sessionId() {
        return sessionId;
    }

    /** The member this client last reached as leader (null before any answer). */
    public String leader() {
        return leader;
    }

    /**
     * Submits {@code payload} to be applied exactly once; completes with the result of its one application. Fails
     * with {@link SessionExpiredException} if the session expired, {@link CommandOutcomeUnknownException} at
     * {@code timeoutMs} (see the class comment), or
     * {@link CommandTooLargeException}.
     */
    public CompletableFuture<byte[]> submit(byte[] payload) {
        return submit(payload, timeoutMs);
    }

    /** As {@link #submit(byte[])}, bounded by {@code commandTimeoutMs} instead of the client's timeout. */
    public CompletableFuture<byte[]> submit(byte[] payload, long commandTimeoutMs) {
        Objects.requireNonNull(payload, "payload");
        requireSession("submit commands in");
        if (commandTimeoutMs < 1) {
            throw new IllegalArgumentException("commandTimeoutMs must be >= 1, was " + commandTimeoutMs);
        }
        long seq;
        long firstUnacked;
        synchronized (waiting) {
            seq = nextSeq++;
            waiting.add(seq);
            firstUnacked = waiting.first();
        }
        Command c = new Command(SessionEnvelope.command(sessionId, seq, firstUnacked, payload).encode(),
                "command " + seq + " of session " + sessionId, commandTimeoutMs);
        sent();
        return reply(c).handle((reply, failure) -> {
            synchronized (waiting) {
                waiting.remove(seq);
            }
            if (failure != null) {
                throw failure instanceof RuntimeException e ? e : new RaftException(failure.toString(), failure);
            }
            return switch (reply.status()) {
                case APPLIED -> reply.result();
                case UNKNOWN_SESSION -> throw new SessionExpiredException("session " + sessionId + " of " + clientId
                        + " is not in the cluster's session table (expired after its idle timeout of log time):"
                        + " command " + seq + " was not applied by this attempt" + (c.mayHaveApplied
                        ? "; an earlier attempt may have been applied before the session expired" : ""),
                        c.mayHaveApplied);
                // a delayed network copy of an earlier request may still be applied (see the class comment)
                case TOO_MANY_UNACKNOWLEDGED -> throw new CommandOutcomeUnknownException(c.what + " was refused by the"
                        + " session table: the session holds as many unacknowledged results as the cluster allows"
                        + " (SessionLimits.maxUnacknowledgedResults; fewer commands in flight avoid it); this attempt"
                        + " was not applied, but a delayed copy of an earlier one may still be, at most once");
                default -> throw new RaftException(c.what + " got " + reply.status());
            };
        });
    }

    /**
     * Runs {@code query} as a linearizable read ({@code StateMachine.query} on the leader once it has confirmed its
     * leadership and applied everything committed before the read arrived): the result reflects every command
     * answered before this call. No log entry, no session needed. Retried after NOT_LEADER (following the hint), a
     * backpressure refusal or {@code attemptTimeoutMs} of silence, bounded by the client's timeout. Fails with
     * {@link ReadNotServedException} when no answer came in time (nothing changed: reading again is safe), or a
     * {@link RaftException} when the leader's state machine refused the query.
     */
    public CompletableFuture<byte[]> read(byte[] query) {
        return read(query, timeoutMs);
    }

    /** As {@link #read(byte[])}, bounded by {@code readTimeoutMs} instead of the client's timeout. */
    public CompletableFuture<byte[]> read(byte[] query, long readTimeoutMs) {
        Objects.requireNonNull(query, "query");
        if (readTimeoutMs < 1) {
            throw new IllegalArgumentException("readTimeoutMs must be >= 1, was " + readTimeoutMs);
        }
        return new Command(query, "read", readTimeoutMs, true).run();
    }

    /**
     * Keeps the session alive now, while the client has nothing to submit (a session idle for the cluster's idle
     * timeout of log time expires); also lets the cluster drop results this client has. Completes when applied;
     * fails with {@link SessionExpiredException} if the session is gone, or as a command would at the timeout.
     */
    public CompletableFuture<Void> keepAlive() {
        requireSession("keep alive");
        long firstUnacked;
        synchronized (waiting) {
            firstUnacked = waiting.isEmpty() ? nextSeq : waiting.first();
        }
        sent();
        Command c = new Command(SessionEnvelope.keepAlive(sessionId, firstUnacked).encode(),
                "keep-alive of session " + sessionId, timeoutMs);
        return reply(c).thenAccept(reply -> {
            if (reply.status() == SessionReply.Status.UNKNOWN_SESSION) {
                throw new SessionExpiredException("session " + sessionId + " of " + clientId + " expired before its"
                        + " keep-alive", false);
            }
        });
    }

    /**
     * From now on, sends a {@link #keepAlive()} whenever the session has been idle (no command or keep-alive sent)
     * for a third of {@code sessionIdleTimeoutMs}, until {@link #close()} or the session is found expired. Calling it
     * again replaces the earlier setting.
     *
     * @param sessionIdleTimeoutMs the cluster's session idle timeout, as given to every node's
     *                             {@code RaftNode.Builder.sessions(idleTimeoutMs)}
     * @return this client
     */
    public RaftClient keepAliveWhileIdle(long sessionIdleTimeoutMs) {
        requireSession("keep alive");
        IdleKeepAlive started = IdleKeepAlive.start(timer, sessionIdleTimeoutMs, this::keepAlive);
        IdleKeepAlive previous = keepAlives;
        keepAlives = started;
        if (previous != null) {
            previous.stop();
        }
        return this;
    }

    private void sent() {
        IdleKeepAlive k = keepAlives;
        if (k != null) {
            k.sent();
        }
    }

    /** A session command's reply, decoded. */
    private CompletableFuture<SessionReply> reply(Command c) {
        return c.run().thenApply(bytes -> {
            try {
                return SessionReply.decode(bytes);
            } catch (IllegalArgumentException e) {
                throw new RaftException(c.what + ": " + e.getMessage());
            }
        });
    }

    /** The members this client tries: those it was given, then those it learned from leader hints. */
    public List<String> members() {
        return List.copyOf(members);
    }

    private void learn(String member) {
        ((java.util.concurrent.CopyOnWriteArrayList<String>) members).addIfAbsent(member);
    }

    private void onMessage(RaftMessage message) {
        if (message instanceof CommandResponse r && clusterId.equals(r.clusterId())) {
            Command c = byRequest.remove(r.requestId());
            if (c != null) {
                c.onResponse(r);
            }
        }
    }

    /**
     * Closes the session in the cluster, best effort, waiting at most {@link SessionClient#CLOSE_TIMEOUT_MS} (or the
     * client's timeout if shorter) for the CLOSE to be applied (unanswered, the session expires), then stops the
     * client and closes the transport; commands still waiting fail. Idempotent.
     */
    @Override
    public void close() {
        close(Math.min(SessionClient.CLOSE_TIMEOUT_MS, timeoutMs));
    }

    /** {@link #close()} waiting at most {@code bound} ms for the CLOSE (tests use a bound scaled to the machine). */
    void close(long bound) {
        IdleKeepAlive k = keepAlives;
        if (k != null) {
            k.stop();
        }
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (sessionId != 0) {
            try {
                new Command(SessionEnvelope.close(sessionId).encode(), "closing session " + sessionId, bound).run()
                        .get(bound + 100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                     | java.util.concurrent.RejectedExecutionException e) {
                // best effort: the session expires after its idle timeout
            }
        }
        timer.shutdownNow();
        transport.close();
        for (Command c : byRequest.values()) {
            c.result.completeExceptionally(new RaftException("client " + clientId + " closed"));
        }
    }

    /**
     * One request's attempts (a session command, or a read) until it has an answer, a failure retrying cannot fix, or
     * its deadline. Completes with the APPLIED answer's bytes: a session command's encoded {@link SessionReply}, a
     * read's query result.
     */
    private final class Command {
        final byte[] bytes;
        final String what;
        final boolean read;
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        volatile boolean mayHaveApplied;
        private long requestId;
        private int attempts;
        private final long timeoutMs;
        private String lastProblem = "no answer";
        private ScheduledFuture<?> attemptTimer;

        Command(byte[] bytes, String what, long timeoutMs) {
            this(bytes, what, timeoutMs, false);
        }

        Command(byte[] bytes, String what, long timeoutMs, boolean read) {
            this.bytes = bytes;
            this.what = what;
            this.timeoutMs = timeoutMs;
            this.read = read;
        }

        CompletableFuture<byte[]> run() {
            ScheduledFuture<?> deadline = timer.schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> {
                deadline.cancel(false);
                cancelAttemptTimer();
            });
            send(leader != null ? leader : members.get(0));
            return result;
        }

        private synchronized void send(String target) {
            if (result.isDone()) {
                return;
            }
            byRequest.remove(requestId);
            requestId = requestIds.incrementAndGet();
            long sent = requestId;
            attempts++;
            byRequest.put(sent, this);
            transport.send(new CommandRequest(clusterId, clientId, target, 0, sent, bytes, read));
            cancelAttemptTimer();
            attemptTimer = timer.schedule(() -> attemptTimedOut(sent, target), attemptTimeoutMs,
                    TimeUnit.MILLISECONDS);
        }

        private synchronized void cancelAttemptTimer() {
            if (attemptTimer != null) {
                attemptTimer.cancel(false);
                attemptTimer = null;
            }
        }

        private synchronized void attemptTimedOut(long sent, String target) {
            if (result.isDone() || sent != requestId) {
                return;
            }
            mayHaveApplied = true; // it may have been appended, its answer lost
            lastProblem = "no answer from " + target + " within " + attemptTimeoutMs + " ms";
            if (target.equals(leader)) {
                leader = null;
            }
            send(next(target));
        }

        synchronized void onResponse(CommandResponse r) {
            if (result.isDone() || r.requestId() != requestId) {
                return;
            }
            switch (r.status()) {
                case APPLIED -> {
                    leader = r.from();
                    result.complete(r.result());
                }
                case NOT_LEADER -> {
                    lastProblem = r.from() + " is not the leader" + (r.error() == null ? "" : " (" + r.error() + ")");
                    String hint = r.leaderHint();
                    boolean known = hint != null && !hint.equals(r.from()) && !hint.equals(clientId);
                    if (known) {
                        learn(hint); // a member added since the client's list was written
                    }
                    leader = known ? hint : null;
                    retryLater(known ? hint : next(r.from()), known ? 0 : 20);
                }
                case REJECTED -> {
                    String error = String.valueOf(r.error());
                    lastProblem = r.from() + " refused: " + error;
                    if (error.startsWith("command too large")) {
                        result.completeExceptionally(new CommandTooLargeException(what + ": " + error));
                        return;
                    }
                    if (read && !error.startsWith("backpressure")) {
                        // the query failed on the leader's state machine: asking again gets the same refusal
                        result.completeExceptionally(new RaftException(what + ": " + lastProblem));
                        return;
                    }
                    if (error.startsWith("outcome unknown")) {
                        mayHaveApplied = true;
                    }
                    retryLater(r.from(), 50); // backpressure, a failed append, ...: the same (session, seq) again
                }
                case ACCEPTED -> {
                    // only members are told ACCEPTED; a client waits for APPLIED
                }
            }
        }

        private void retryLater(String target, long delayMs) {
            byRequest.remove(requestId);
            requestId = 0; // answers to the old request are ignored from now on
            timer.schedule(() -> send(target), delayMs, TimeUnit.MILLISECONDS);
        }

        private synchronized void expire() {
            if (result.isDone()) {
                return;
            }
            byRequest.remove(requestId);
            String why = what + " got no result within " + timeoutMs + " ms after " + attempts + " attempt(s); last: "
                    + lastProblem;
            if (read) {
                result.completeExceptionally(new ReadNotServedException(why + "; a read changes nothing: reading"
                        + " again is safe"));
                return;
            }
            // even when every attempt was refused, a delayed network copy of one may still be appended: unknown
            result.completeExceptionally(new CommandOutcomeUnknownException(why + "; it may still be applied, at"
                    + " most once" + (mayHaveApplied ? "" : " (every answer was a refusal, but a delayed copy of a"
                    + " request may still reach a leader)")));
        }

        private String next(String after) {
            int i = members.indexOf(after);
            return members.get((i + 1) % members.size());
        }
    }
}
