package io.raftbus.examples.kv;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raftbus.engine.RaftNode;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.metrics.KafkaTransportMetrics;
import io.raftbus.metrics.RaftMetrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code node --metrics-port PORT}: a Prometheus scrape endpoint, {@code GET /metrics} on all interfaces, serving the
 * node's {@link RaftMetrics} and its Kafka transport's {@link KafkaTransportMetrics} in the Prometheus text format
 * (meter names with {@code _} for {@code .}, counters suffixed {@code _total}, timers in seconds). Anything else
 * answers 404.
 */
final class PrometheusEndpoint implements AutoCloseable {

    static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RaftMetrics raftMetrics;
    private final KafkaTransportMetrics kafkaMetrics;
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds the meters and starts serving.
     *
     * @param transport the node's transport, or null for none
     * @param port the TCP port; 0 picks a free one ({@link #port()})
     * @throws IOException if the port cannot be bound
     */
    PrometheusEndpoint(RaftNode node, KafkaTransport transport, int port) throws IOException {
        raftMetrics = new RaftMetrics(node);
        raftMetrics.bindTo(registry);
        kafkaMetrics = transport == null ? null : new KafkaTransportMetrics(transport, node.nodeId());
        if (kafkaMetrics != null) {
            kafkaMetrics.bindTo(registry);
        }
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", this::handle);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raftbus-kv-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The port served. */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH) || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        raftMetrics.close();
        if (kafkaMetrics != null) {
            kafkaMetrics.close();
        }
        registry.close();
    }
}
