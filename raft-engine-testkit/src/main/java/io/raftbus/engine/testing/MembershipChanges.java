package io.raftbus.engine.testing;

import io.raftbus.engine.RaftNode;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Membership changes for tests on real threads, where leadership may move at any time: a change is asked of
 * whichever node leads until the wanted configuration holds, since a refused, timed-out or outcome-unknown attempt
 * may or may not have taken effect.
 */
public final class MembershipChanges {

    private MembershipChanges() {
    }

    /**
     * The leader of the highest term among {@code nodes} (some may be closed: their last status counts), or null if
     * none leads now.
     */
    public static RaftNode leaderAmong(Collection<RaftNode> nodes) {
        return nodes.stream().filter(n -> n.status().isLeader())
                .max(Comparator.comparingLong(n -> n.status().term())).orElse(null);
    }

    /**
     * Asks the node {@code leader} returns for {@code change} until {@code done} holds, each attempt waiting at most
     * {@code attempt}, all within {@code timeout}. {@code change} may look at the leader's status to pick the next
     * step (e.g. promote a node it already holds as a learner) and returns null when it has nothing to ask.
     */
    public static void until(String what, BooleanSupplier done, Supplier<RaftNode> leader,
                             Function<RaftNode, CompletableFuture<Void>> change, Duration attempt, Duration timeout) {
        Objects.requireNonNull(change, "change");
        Await.until(what, () -> {
            if (done.getAsBoolean()) {
                return true;
            }
            RaftNode node = leader.get();
            CompletableFuture<Void> asked = node == null ? null : change.apply(node);
            if (asked != null) {
                try {
                    asked.get(attempt.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what, e);
                } catch (Exception e) {
                    // refused for now, outcome unknown, or the leader moved on: asked again while not done
                }
            }
            return done.getAsBoolean();
        }, timeout);
    }

    /** {@code id} added as a voter: as a learner first, then promoted, whatever step the leader is at. */
    public static Function<RaftNode, CompletableFuture<Void>> addVoter(String id) {
        return l -> l.status().voters().contains(id) ? null
                : l.status().learners().contains(id) ? l.promote(id) : l.addMember(id);
    }

    /** {@code id} removed, if the leader still holds it as a voter or learner. */
    public static Function<RaftNode, CompletableFuture<Void>> remove(String id) {
        return l -> l.status().voters().contains(id) || l.status().learners().contains(id) ? l.removeMember(id)
                : null;
    }
}
