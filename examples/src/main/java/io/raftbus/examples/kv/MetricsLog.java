package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.metrics.Latency;
import io.raftbus.kafka.KafkaTransport;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code node --metrics-log SECONDS}: prints one line of the node's metrics every so often, counted since the node
 * started: its {@link io.raftbus.engine.NodeMetrics} summary, its client-session figures (when it runs sessions:
 * {@link io.raftbus.engine.session.SessionStats#summary()}) and its Kafka transport's counts and mean latencies.
 */
final class MetricsLog implements AutoCloseable {

    private final RaftNode node;
    private final KafkaTransport transport;
    private final PrintStream out;
    private final ScheduledExecutorService timer;

    /** Prints a line every {@code every}, on a daemon thread, until closed. {@code transport} may be null. */
    MetricsLog(RaftNode node, KafkaTransport transport, PrintStream out, Duration every) {
        this.node = node;
        this.transport = transport;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raftbus-kv-metrics-log");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        timer.scheduleAtFixedRate(this::print, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The line printed: node id, the node's summary, its sessions', then the transport's. */
    String line() {
        StringBuilder line = new StringBuilder(node.nodeId()).append(" metrics: ").append(node.metrics());
        node.sessionStats().ifPresent(s -> line.append(" sessions: ").append(s.summary()));
        if (transport != null) {
            line.append(" kafka: sent=").append(transport.sentCount())
                    .append(" delivered=").append(transport.deliveredCount())
                    .append(" dropped=").append(transport.dropCounts().values().stream().mapToLong(Long::longValue)
                            .sum())
                    .append(" send=").append(meanMillis(transport.sendLatency()))
                    .append(" receive=").append(meanMillis(transport.receiveLatency()));
        }
        return line.toString();
    }

    private void print() {
        out.println(line());
        out.flush();
    }

    private static String meanMillis(Latency latency) {
        long n = latency.count();
        return n == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1fms", latency.totalNanos() / 1e6 / n);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
