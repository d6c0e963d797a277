package io.raftbus.engine.session;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RetriableCommandException;

import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client session on a local {@link RaftNode} built with {@link RaftNode.Builder#sessions}: exactly-once commands
 * for callers in the node's process. Each {@link #submit} gets the next seq and is retried with the same (session,
 * seq), after "not leader", "not appended", "outcome unknown" and the like, until it has an answer or its timeout
 * passes; the session table applies it at most once and answers every copy with the first application's result
 * (a copy appended while an earlier one waits to commit is answered from the table when it applies). The lowest seq
 * still waiting is sent with every command, so the cluster drops results the client has.
 *
 * <p>Opened with {@link #open}: registration is a log entry, and the session id is its index. A session idle for the
 * cluster's idle timeout of log time expires; {@link #keepAliveWhileIdle()} sends keep-alives by itself while the
 * client has nothing to submit (off unless called), until {@link #close()}, which also ends the session in the
 * cluster (best effort: a session not closed expires). Thread-safe.
 */
public final class SessionClient implements AutoCloseable {

    /** Delay before the first retry; doubled per attempt up to {@link #MAX_RETRY_DELAY_MS}. */
    static final long FIRST_RETRY_DELAY_MS = 5;
    static final long MAX_RETRY_DELAY_MS = 200;
    /** The most {@link #close()} waits for the cluster to close the session. */
    public static final long CLOSE_TIMEOUT_MS = 1_000;

    /**
     * Deadlines and retry delays of every SessionClient: one daemon thread; a deadline is cancelled (and removed) when
     * its command completes, so commands answered in time leave nothing queued.
     */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final RaftNode node;
    private final long sessionId;
    private final long timeoutMs;
    /** Seqs submitted whose answer this client has not yet received (or given up on). */
    private final TreeSet<Long> waiting = new TreeSet<>();
    private volatile IdleKeepAlive keepAlives;
    private long nextSeq = 1;
    private boolean closed;

    private SessionClient(RaftNode node, long sessionId, long timeoutMs) {
        this.node = node;
        this.sessionId = sessionId;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Registers a new session through {@code node}, retrying until registered or {@code timeoutMs} has passed; every
     * later command of the client is bounded by {@code timeoutMs} too. A registration whose outcome was unknown may
     * leave an unused session behind; it expires.
     *
     * @throws IllegalArgumentException the node does not run sessions
     */
    public static CompletableFuture<SessionClient> open(RaftNode node, long timeoutMs) {
        Objects.requireNonNull(node, "node");
        if (!node.sessionsEnabled()) {
            throw new IllegalArgumentException("node " + node.nodeId() + " does not run client sessions: build every"
                    + " node with RaftNode.Builder.sessions(idleTimeoutMs)");
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("timeoutMs must be >= 1, was " + timeoutMs);
        }
        Attempts a = new Attempts(node, SessionEnvelope.register().encode(), System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(timeoutMs), timeoutMs, "registering a session");
        return a.run().thenApply(reply -> {
            if (reply.status() != SessionReply.Status.REGISTERED) {
                throw new RaftException("registering a session got " + reply.status());
            }
            return new SessionClient(node, reply.value(), timeoutMs);
        });
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "raftbus-session-client-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** This client's session id (the log index of its registration). */
    public long sessionId() {
        return sessionId;
    }

    /**
     * Submits {@code payload} to be applied exactly once. The future completes with the application's result (of
     * its one application), or fails with:
     * <ul>
     *   <li>{@link SessionExpiredException}: the session is gone (idle too long in log time); this attempt was not
     *       applied, and the exception says whether an earlier one may have been;</li>
     *   <li>{@link CommandOutcomeUnknownException}: no answer within the client's timeout (it may still be applied,
     *       once);</li>
     *   <li>another {@link RaftException}: the node was closed, or the cluster does not run sessions.</li>
     * </ul>
     */
    public CompletableFuture<byte[]> submit(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        long seq;
        long firstUnacked;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
            }
            seq = nextSeq++;
            waiting.add(seq);
            firstUnacked = waiting.first();
        }
        sent();
        byte[] command = SessionEnvelope.command(sessionId, seq, firstUnacked, payload).encode();
        Attempts a = new Attempts(node, command, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                timeoutMs, "command " + seq + " of session " + sessionId);
        return a.run().handle((reply, failure) -> {
            synchronized (this) {
                waiting.remove(seq); // answered or given up: either way the cluster need not keep its result
            }
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return switch (reply.status()) {
                case APPLIED -> reply.result();
                case UNKNOWN_SESSION -> throw new SessionExpiredException("session " + sessionId + " is not in the"
                        + " cluster's session table (expired after its idle timeout of log time): command " + seq
                        + " was not applied by this attempt" + (a.mayHaveApplied()
                        ? "; an earlier attempt's outcome was unknown, so it may have been applied before the"
                        + " session expired" : " and by no earlier one"), a.mayHaveApplied());
                case TOO_MANY_UNACKNOWLEDGED -> throw tooMany(seq, a.mayHaveApplied());
                default -> throw new RaftException("command " + seq + " of session " + sessionId + " got "
                        + reply.status() + ": this client acknowledged it already, or the cluster does not run"
                        + " sessions on every node");
            };
        });
    }

    /**
     * Keeps the session alive while the client has nothing to submit (a session idle for the cluster's idle timeout
     * of log time expires); also lets the cluster drop results this client has. Completes when applied.
     */
    public CompletableFuture<Void> keepAlive() {
        long firstUnacked;
        synchronized (this) {
            firstUnacked = waiting.isEmpty() ? nextSeq : waiting.first();
        }
        sent();
        Attempts a = new Attempts(node, SessionEnvelope.keepAlive(sessionId, firstUnacked).encode(),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), timeoutMs,
                "keep-alive of session " + sessionId);
        return a.run().thenAccept(reply -> {
            if (reply.status() == SessionReply.Status.UNKNOWN_SESSION) {
                throw new SessionExpiredException("session " + sessionId + " expired before its keep-alive", false);
            }
        });
    }

    /**
     * From now on, sends a {@link #keepAlive()} whenever this session has been idle (no command or keep-alive sent)
     * for a third of the node's session idle timeout ({@link RaftNode#sessionIdleTimeoutMs()}), on the clients'
     * shared daemon timer thread, until {@link #close()} or the session is found expired. Idempotent.
     *
     * @return this client
     */
    public SessionClient keepAliveWhileIdle() {
        synchronized (this) {
            if (keepAlives == null) {
                keepAlives = IdleKeepAlive.start(TIMER, node.sessionIdleTimeoutMs(), this::keepAlive);
            }
        }
        return this;
    }

    private void sent() {
        IdleKeepAlive k = keepAlives;
        if (k != null) {
            k.sent();
        }
    }

    private RaftException tooMany(long seq, boolean earlierMayHaveApplied) {
        String why = "command " + seq + " of session " + sessionId + " was refused by the session table: the session"
                + " holds as many results its client has not acknowledged as the cluster allows"
                + " (SessionLimits.maxUnacknowledgedResults; fewer commands in flight per session avoid it)";
        return earlierMayHaveApplied
                ? new CommandOutcomeUnknownException(why + "; an earlier attempt's outcome was unknown, so it may"
                + " still be applied (at most once)")
                : new TooManyUnacknowledgedException(why + "; it was not applied and never will be");
    }

    /**
     * Closes the session in the cluster (a CLOSE entry drops it and its held results; a command of it still in
     * flight is then refused as UNKNOWN_SESSION, never applied after the close), waiting at most
     * {@link #CLOSE_TIMEOUT_MS} (or the client's timeout if shorter). Best effort: if the close is not answered in
     * time the session simply expires. Later submits fail with {@link IllegalStateException}. Idempotent. Called
     * from a command's completion (the node's callback thread), it waits out its bound: the answer it waits for
     * is delivered on that thread.
     */
    @Override
    public void close() {
        close(Math.min(CLOSE_TIMEOUT_MS, timeoutMs));
    }

    /** {@link #close()} waiting at most {@code bound} ms (tests use a bound scaled to the machine). */
    void close(long bound) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        IdleKeepAlive k = keepAlives;
        if (k != null) {
            k.stop();
        }
        Attempts a = new Attempts(node, SessionEnvelope.close(sessionId).encode(), System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(bound), bound, "closing session " + sessionId);
        try {
            a.run().get(bound + 100, TimeUnit.MILLISECONDS); // the attempts end at their own deadline; a margin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // best effort: the session expires after its idle timeout
        }
    }

    /** One command's attempts through the node, until an answer, a failure that retrying cannot fix, or the deadline. */
    private static final class Attempts {
        private final RaftNode node;
        private final byte[] command;
        private final long deadlineNanos;
        private final long timeoutMs;
        private final String what;
        private final CompletableFuture<SessionReply> result = new CompletableFuture<>();
        private volatile boolean mayHaveApplied;
        private volatile RaftException lastFailure;
        private int attempts;

        Attempts(RaftNode node, byte[] command, long deadlineNanos, long timeoutMs, String what) {
            this.node = node;
            this.command = command;
            this.deadlineNanos = deadlineNanos;
            this.timeoutMs = timeoutMs;
            this.what = what;
        }

        boolean mayHaveApplied() {
            return mayHaveApplied;
        }

        CompletableFuture<SessionReply> run() {
            long remaining = deadlineNanos - System.nanoTime();
            ScheduledFuture<?> deadline = TIMER.schedule(this::expire, Math.max(0, remaining), TimeUnit.NANOSECONDS);
            result.whenComplete((r, e) -> deadline.cancel(false));
            attempt();
            return result;
        }

        private void expire() {
            RaftException last = lastFailure;
            result.completeExceptionally(new CommandOutcomeUnknownException(what + " got no answer within "
                    + timeoutMs + " ms after " + attempts + " attempt(s)"
                    + (last == null ? "" : "; the last failed with " + last.getClass().getSimpleName() + ": "
                    + last.getMessage()) + (mayHaveApplied ? "; it may still be applied (at most once)"
                    : "; it may still be applied (at most once) if an attempt is still in flight"), last));
        }

        private void attempt() {
            if (result.isDone()) {
                return;
            }
            synchronized (this) {
                attempts++;
            }
            node.submit(command).whenComplete((bytes, failure) -> {
                if (failure == null) {
                    try {
                        result.complete(SessionReply.decode(bytes));
                    } catch (IllegalArgumentException e) {
                        result.completeExceptionally(new RaftException(what + ": " + e.getMessage()));
                    }
                    return;
                }
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure;
                if (cause instanceof CommandOutcomeUnknownException unknown) {
                    mayHaveApplied = true;
                    lastFailure = unknown;
                } else if (cause instanceof RetriableCommandException retriable) {
                    lastFailure = retriable;
                } else {
                    result.completeExceptionally(cause); // closed node and the like: retrying cannot help
                    return;
                }
                long delay = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS << Math.min(attempts, 10));
                TIMER.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
            });
        }
    }

    @Override
    public String toString() {
        return "SessionClient[session " + sessionId + " on " + node.nodeId() + "]";
    }

}
