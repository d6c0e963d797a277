package io.raftbus.kafka;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * Runs a start-up step against the brokers with bounded exponential backoff (resilience4j-retry); when the attempts
 * are used up, fails with a {@link KafkaTransportException} naming the bootstrap servers.
 */
final class StartupRetry {

    private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);

    private final KafkaTransportConfig config;
    private final String who;
    private final Retry retry;

    StartupRetry(KafkaTransportConfig config, String who) {
        this.config = config;
        this.who = who;
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(config.startupRetryMaxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(config.startupRetryBackoffMs(), 2.0,
                        config.startupRetryBackoffMaxMs()))
                .retryOnException(e -> !(e instanceof InboxProvisioner.FatalStartupException))
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of("raftbus-startup-" + who, retryConfig);
        retry.getEventPublisher().onRetry(event -> LOG.warn("{}: Kafka at {} not ready ({}), attempt {} of {}, "
                        + "retrying in {} ms", who, config.bootstrapServers(),
                rootMessage(event.getLastThrowable()), event.getNumberOfRetryAttempts(),
                config.startupRetryMaxAttempts(), event.getWaitInterval().toMillis()));
    }

    <T> T call(String step, Callable<T> action) {
        long started = System.nanoTime();
        try {
            return retry.executeCallable(action);
        } catch (InboxProvisioner.FatalStartupException e) {
            throw new KafkaTransportException(who + " cannot start on Kafka at " + config.bootstrapServers() + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            throw new KafkaTransportException(who + " could not " + step + " on Kafka at "
                    + config.bootstrapServers() + " after " + config.startupRetryMaxAttempts() + " attempts over "
                    + seconds + " s: " + rootMessage(e) + ". Check that the brokers are up and reachable from here, "
                    + "and the security settings (security.protocol, sasl.*, ssl.*)", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
