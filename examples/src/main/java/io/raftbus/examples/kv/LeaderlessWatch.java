package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Tells the operator of a {@code node} when it has known no leader for a while: a node started with other
 * {@code --members} (or another {@code --cluster}) than the rest hears nothing and would otherwise be silent. The line
 * names its members and cluster and what it dropped; it is printed once per leaderless stretch.
 */
final class LeaderlessWatch implements AutoCloseable {

    private final RaftNode node;
    private final Supplier<Map<String, Long>> transportDrops;
    private final PrintStream out;
    private final long quietNanos;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private long leaderlessSince = -1;
    private boolean warned;

    /**
     * @param transportDrops the transport's drop counts by cause
     * @param quiet how long without a leader before the warning
     * @param clock {@link System#nanoTime()} or a test's clock
     * @param schedule whether to check by itself every second (else the caller calls {@link #check()})
     */
    LeaderlessWatch(RaftNode node, Supplier<Map<String, Long>> transportDrops, PrintStream out, Duration quiet, LongSupplier clock,
                    boolean schedule) {
        this.node = node;
        this.transportDrops = transportDrops;
        this.out = out;
        this.quietNanos = quiet.toNanos();
        this.clock = clock;
        this.timer = schedule ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raftbus-kv-leaderless-watch");
            t.setDaemon(true);
            return t;
        }) : null;
        if (timer != null) {
            timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Looks at the node once; prints the warning when it has been leaderless for the quiet time. */
    synchronized void check() {
        RaftStatus status = node.status();
        long now = clock.getAsLong();
        if (status.leaderId() != null) {
            leaderlessSince = -1;
            warned = false;
            return;
        }
        if (leaderlessSince < 0) {
            leaderlessSince = now;
        }
        if (!warned && now - leaderlessSince >= quietNanos) {
            warned = true;
            Map<String, Long> drops = new TreeMap<>(node.dropCounts());
            transportDrops.get().forEach((cause, count) -> drops.merge("transport " + cause, count, Long::sum));
            out.println(status.nodeId() + ": no leader for " + KvFormat.seconds(Duration.ofNanos(now - leaderlessSince))
                    + " (" + status.role() + " in term " + status.term() + "). Check that every node runs with the same"
                    + " --members (here: " + String.join(",", new TreeSet<>(node.members())) + ") and --cluster"
                    + " (here: " + node.clusterId() + "), that a majority is running, and that Kafka is reachable."
                    + (drops.isEmpty() ? "" : " Dropped here so far: " + drops + "."));
            out.flush();
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
