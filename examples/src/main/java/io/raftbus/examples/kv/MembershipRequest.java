package io.raftbus.examples.kv;

import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.InvalidMembershipChangeException;
import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.RetriableCommandException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Has the leader add a voter or remove a member, and waits (bounded) until the change has committed. What certainly
 * did not happen is tried again until the deadline: no leader known, a change already in progress, the leader's first
 * entry not yet committed, a learner still catching up ({@link RetriableCommandException}). After an outcome that
 * may or may not have taken effect ({@link CommandOutcomeUnknownException}, e.g. the leader changed) it asks again:
 * the leader then refuses while the change is uncommitted and, once nothing is in progress, says the node is (or is
 * no longer) a member, which is how a change made by an earlier attempt is recognised. An add interrupted after the
 * node became a learner goes on with its promotion.
 */
final class MembershipRequest {

    /** How often the leader is asked again after a retriable refusal. */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private MembershipRequest() {
    }

    /**
     * Makes {@code id} a voter: {@code addMember}, or {@code promote} once it is a learner already.
     *
     * @param deadline {@link System#nanoTime()} by which it must be done
     * @param timeout the wait the user was told of, for messages
     */
    static void addVoter(Supplier<Optional<RaftNode>> leader, String id, long deadline, Duration timeout) {
        run(leader, id, true, deadline, timeout);
    }

    /**
     * Removes voter or learner {@code id} (the leader itself included: it hands leadership over afterwards).
     * Parameters as for {@link #addVoter}.
     */
    static void remove(Supplier<Optional<RaftNode>> leader, String id, long deadline, Duration timeout) {
        run(leader, id, false, deadline, timeout);
    }

    private static void run(Supplier<Optional<RaftNode>> leaders, String id, boolean add, long deadline,
                            Duration timeout) {
        String what = add ? "adding " + id : "removing " + id;
        String lastProblem = "no node knows a leader";
        boolean mayHaveTakenEffect = false;
        while (true) {
            Optional<RaftNode> leader = leaders.get();
            if (leader.isPresent()) {
                RaftStatus before = leader.get().status();
                CompletableFuture<Void> change = !add ? leader.get().removeMember(id)
                        : before.learners().contains(id) ? leader.get().promote(id) : leader.get().addMember(id);
                try {
                    change.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (TimeoutException e) {
                    throw new ClusterException(what + " did not complete within " + KvFormat.seconds(timeout)
                            + "; it may still take effect (see status)");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterException("interrupted while " + what);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InvalidMembershipChangeException invalid) {
                        // nothing is in progress on this leader: its configuration is committed
                        RaftStatus now = leader.get().status();
                        if (mayHaveTakenEffect && done(now, id, add)) {
                            return;
                        }
                        if (!(add && mayHaveTakenEffect && now.learners().contains(id))) {
                            throw new ClusterException(invalid.getMessage());
                        }
                        lastProblem = id + " is a learner; promoting it";
                    } else if (cause instanceof CommandOutcomeUnknownException) {
                        mayHaveTakenEffect = true;
                        lastProblem = cause.getMessage();
                    } else {
                        // retriable (nothing appended), or the leader stopped meanwhile: ask the leader again
                        lastProblem = String.valueOf(cause.getMessage());
                    }
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new ClusterException(what + " not done within " + KvFormat.seconds(timeout) + " ("
                        + lastProblem + ")" + (mayHaveTakenEffect ? "; it may still take effect (see status)" : ""));
            }
            LockSupport.parkNanos(RETRY_PAUSE_NANOS);
        }
    }

    /** Whether the change is in force in {@code status}'s configuration. */
    private static boolean done(RaftStatus status, String id, boolean add) {
        return add ? status.voters().contains(id) : !status.voters().contains(id) && !status.learners().contains(id);
    }
}
