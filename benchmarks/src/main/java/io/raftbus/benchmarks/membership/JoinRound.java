package io.raftbus.benchmarks.membership;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One join: starts a fresh node in join mode, calls {@code addMember} on the leader (optionally while a
 * {@link ClientLoad} runs, started one second before), polls the leader's and the joiner's status every
 * millisecond for the milestones of {@link JoinTimes}, then stops the load, waits until the joiner applied all the
 * leader has, checks that both states are equal (digest), removes the joiner and deletes its files.
 */
final class JoinRound {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final JoinCluster cluster;
    private final int slots;
    private final double loadRate;

    JoinRound(JoinCluster cluster, int slots, double loadRate) {
        this.cluster = cluster;
        this.slots = slots;
        this.loadRate = loadRate;
    }

    JoinTimes run(String joinerId, boolean loaded) throws Exception {
        JoinCluster.Joiner joiner = cluster.startJoiner(joinerId);
        ClientLoad load = loaded ? new ClientLoad(cluster::leader, slots, loadRate) : null;
        try {
            if (load != null) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // the load is steady before the change
            }
            RaftNode leader = cluster.leader();
            RaftStatus before = leader.status();
            long commitAtAdd = before.commitIndex();
            AtomicLong votingNanos = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long begin = System.nanoTime();
            CompletableFuture<Void> added = leader.addMember(joinerId);
            added.whenComplete((ok, error) -> {
                if (error != null) {
                    failure.set(error);
                }
                votingNanos.set(System.nanoTime());
            });
            long contact = 0;
            long installed = 0;
            long caughtUp = 0;
            long promoted = 0;
            long deadline = begin + TIMEOUT.toNanos();
            while (votingNanos.get() == 0 || caughtUp == 0 || promoted == 0) {
                long now = System.nanoTime();
                RaftStatus j = joiner.node().status();
                if (contact == 0 && j.leaderId() != null) {
                    contact = now;
                }
                if (installed == 0 && j.snapshotIndex() > 0) {
                    installed = now;
                }
                if (caughtUp == 0 && j.lastApplied() >= commitAtAdd) {
                    caughtUp = now;
                }
                if (promoted == 0 && leader.status().voters().contains(joinerId)) {
                    promoted = now;
                }
                if (failure.get() != null) {
                    break;
                }
                if (now > deadline) {
                    failure.set(new IllegalStateException("join not done within " + TIMEOUT + "; joiner " + j));
                    break;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            long loadSubmitted = 0;
            long loadFailed = 0;
            if (load != null) {
                load.stopAndDrain(TIMEOUT.toMillis());
                loadSubmitted = load.submitted();
                loadFailed = load.notApplied() + load.unknown() + load.stillPending();
            }
            if (failure.get() == null) {
                checkSameState(joiner);
            }
            SnapshotTap tap = joiner.tap();
            return new JoinTimes(cluster.snapshots(), loaded, before.lastLogIndex(), before.firstLogIndex(),
                    ms(begin, contact), ms(begin, tap.firstChunkNanos()), ms(begin, tap.lastChunkNanos()),
                    ms(begin, installed), ms(begin, caughtUp), ms(begin, promoted),
                    failure.get() == null ? ms(begin, votingNanos.get()) : Double.NaN, tap.chunkBytes(),
                    tap.snapshotTotalBytes(), tap.chunks(), tap.entriesReceived(), tap.entryBytesReceived(),
                    loadSubmitted, loadFailed, failure.get() == null ? null : String.valueOf(failure.get()));
        } finally {
            if (load != null) {
                load.close();
            }
            cluster.remove(joiner);
        }
    }

    /** Waits until the joiner applied all the leader applied (no load runs now), then compares the two states. */
    private void checkSameState(JoinCluster.Joiner joiner) throws Exception {
        RaftNode leader = cluster.leader();
        long applied = leader.status().lastApplied();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (joiner.node().status().lastApplied() < applied || leader.status().lastApplied() != applied) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the joiner did not apply up to " + applied + " within " + TIMEOUT);
            }
            applied = leader.status().lastApplied();
            LockSupport.parkNanos(POLL_NANOS);
        }
        if (joiner.state().digest() != cluster.state(leader.nodeId()).digest()) {
            throw new IllegalStateException(joiner.id() + " applied up to " + applied + " but its state differs from"
                    + " leader " + leader.nodeId() + "'s");
        }
    }

    private static double ms(long begin, long at) {
        return at == 0 ? Double.NaN : (at - begin) / 1e6;
    }
}
