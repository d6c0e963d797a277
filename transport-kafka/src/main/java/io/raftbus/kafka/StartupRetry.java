package io.raftbus.kafka;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the start-up steps against the brokers, each with bounded exponential backoff (resilience4j-retry), all within
 * one overall deadline ({@link KafkaTransportConfig#startupTimeoutMs()}, when set): an attempt never waits past it and
 * no attempt starts after it. When a step cannot succeed, fails with a {@link KafkaTransportException} naming the
 * step, the bootstrap servers and the cause (a broker that never answered is called that, not a bare timeout).
 */
final class StartupRetry {

    private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);

    /** One attempt of a step, allowed to wait at most {@code timeoutMs}. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(long timeoutMs) throws Exception;
    }

    /** The overall deadline passed between two attempts. */
    private static final class DeadlinePassed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlinePassed() {
            super(null, null, false, false);
        }
    }

    private final KafkaTransportConfig config;
    private final String who;
    private final long began = System.nanoTime();
    /** {@link System#nanoTime()} of the overall deadline; meaningful only when {@link #bounded}. */
    private final long deadline;
    private final boolean bounded;
    private final Retry retry;
    /** The timeout of the latest attempt (the attempt timeout, or less near the deadline). */
    private long lastAttemptTimeoutMs;
    private int attempts;
    /** The latest attempt's failure, reported when the deadline then passes. */
    private Exception lastFailure;

    StartupRetry(KafkaTransportConfig config, String who) {
        this.config = config;
        this.who = who;
        this.bounded = config.startupTimeoutMs() > 0;
        this.deadline = began + TimeUnit.MILLISECONDS.toNanos(config.startupTimeoutMs());
        IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(config.startupRetryBackoffMs(), 2.0,
                config.startupRetryBackoffMaxMs());
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(config.startupRetryMaxAttempts())
                .intervalFunction(attempt -> Math.max(1, Math.min(backoff.apply(attempt), remainingMs())))
                .retryOnException(e -> !(e instanceof InboxProvisioner.FatalStartupException)
                        && !(e instanceof DeadlinePassed))
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of("raftbus-startup-" + who, retryConfig);
        retry.getEventPublisher().onRetry(event -> LOG.warn("{}: Kafka at {} not ready ({}), attempt {} of {}, "
                        + "retrying in {} ms", who, config.bootstrapServers(),
                cause(event.getLastThrowable(), lastAttemptTimeoutMs), event.getNumberOfRetryAttempts(),
                config.startupRetryMaxAttempts(), event.getWaitInterval().toMillis()));
    }

    /**
     * Runs {@code step} until it succeeds, it fails fatally, the attempts are used up or the deadline passes.
     *
     * @throws KafkaTransportException naming the step and the cause
     */
    <T> T call(String step, Attempt<T> action) {
        attempts = 0;
        lastFailure = null;
        try {
            return retry.executeCallable(() -> {
                long timeoutMs = attemptTimeoutMs();
                if (timeoutMs <= 0) {
                    throw new DeadlinePassed();
                }
                lastAttemptTimeoutMs = timeoutMs;
                attempts++;
                try {
                    return action.run(timeoutMs);
                } catch (Exception e) {
                    lastFailure = e;
                    throw e;
                }
            });
        } catch (InboxProvisioner.FatalStartupException e) {
            throw new KafkaTransportException(who + " cannot start on Kafka at " + config.bootstrapServers() + ": "
                    + e.getMessage(), e);
        } catch (DeadlinePassed e) {
            throw new KafkaTransportException(who + " could not " + step + " on Kafka at " + config.bootstrapServers()
                    + " within the start-up timeout of " + config.startupTimeoutMs() + " ms ("
                    + KafkaTransportConfig.STARTUP_TIMEOUT_MS_CONFIG + ")"
                    + (lastFailure == null ? "" : "; last attempt: " + cause(lastFailure, lastAttemptTimeoutMs))
                    + advice(), lastFailure);
        } catch (Exception e) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            throw new KafkaTransportException(who + " could not " + step + " on Kafka at "
                    + config.bootstrapServers() + " (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                    + ", " + millis + " ms since start-up began): " + cause(e, lastAttemptTimeoutMs) + advice(), e);
        }
    }

    /** How long the next attempt may wait: the attempt timeout, cut to what is left before the deadline. */
    private long attemptTimeoutMs() {
        return Math.min(config.startupAttemptTimeoutMs(), remainingMs());
    }

    private long remainingMs() {
        return bounded ? TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) : Long.MAX_VALUE;
    }

    private String advice() {
        return ". Check that the brokers are up and reachable from here, and the security settings "
                + "(security.protocol, sasl.*, ssl.*)";
    }

    /** The cause in words: a timeout says the brokers did not answer in time. */
    static String cause(Throwable e, long attemptTimeoutMs) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (root instanceof TimeoutException || root instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer from the brokers within " + attemptTimeoutMs + " ms (" + detail + ")";
        }
        if (root instanceof UnknownHostException) {
            return "a broker's host name cannot be resolved (" + detail + ")";
        }
        if (root instanceof ConnectException) {
            return "connection refused (" + detail + ")";
        }
        return detail;
    }
}
