package io.raftbus.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Creates Kafka clients (admin, producer, consumer) and turns a creation failure into a
 * {@link KafkaTransportException} that says what is wrong: a bootstrap host that cannot be resolved is named, instead
 * of Kafka's "Failed to create new KafkaAdminClient".
 */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * Runs {@code create}, translating its failure.
     *
     * @param what the client, e.g. "admin client", for the message
     */
    static <C> C create(String what, KafkaTransportConfig config, Supplier<C> create) {
        try {
            return create.get();
        } catch (KafkaException e) {
            Throwable cause = e instanceof ConfigException ? e : e.getCause();
            if (cause instanceof ConfigException) {
                List<String> unresolvable = unresolvableHosts(config.bootstrapServers());
                if (!unresolvable.isEmpty()) {
                    throw new KafkaTransportException("Kafka bootstrap server host " + String.join(", ", unresolvable)
                            + " cannot be resolved (bootstrap.servers=" + config.bootstrapServers()
                            + "): check the host name and this machine's DNS", e);
                }
                throw new KafkaTransportException("Cannot create the Kafka " + what + " for "
                        + config.bootstrapServers() + ": " + cause.getMessage(), e);
            }
            throw new KafkaTransportException("Cannot create the Kafka " + what + " for " + config.bootstrapServers()
                    + ": " + StartupRetry.cause(e, 0), e);
        }
    }

    /** The hosts of {@code bootstrapServers} ({@code host:port,...}) that have no address. */
    static List<String> unresolvableHosts(String bootstrapServers) {
        List<String> unresolvable = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String address = server.strip();
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? address.substring(0, colon) : address;
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                unresolvable.add(host);
            }
        }
        return unresolvable;
    }
}
