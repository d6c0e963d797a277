package io.raftbus.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Which members' inbox topics are known to exist, and the background work that makes sure a new member's does before
 * it is sent anything. {@link #ensure} never blocks: it schedules, on this node's provisioning thread, a check (and
 * with {@link KafkaTransportConfig#createTopics()} the creation) of each new inbox, one attempt bounded by
 * {@link KafkaTransportConfig#startupAttemptTimeoutMs()}, retried with the start-up backoff up to
 * {@link KafkaTransportConfig#startupRetryMaxAttempts()} times. After the last failed attempt it gives up, logs an
 * error and keeps messages to that member dropped ({@link DropCause#INBOX_NOT_READY}) until the next configuration
 * change names the member again. A member that leaves the configuration is forgotten, so that a re-added member's
 * inbox is checked again (an operator may have deleted it).
 */
final class MemberInboxes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberInboxes.class);

    /** One bounded attempt against the brokers for one inbox topic; returns the topic's message size limit. */
    @FunctionalInterface
    interface Provision {
        long ensure(String topic, long timeoutMs) throws Exception;
    }

    private final KafkaTransportConfig config;
    private final Provision provision;
    private final ScheduledExecutorService worker;
    private final LongConsumer limitSeen;
    /** Member id → what is known of its inbox. */
    private final Map<String, Status> status = new ConcurrentHashMap<>();

    private sealed interface Status permits Ready, Pending, GaveUp {
    }

    private record Ready() implements Status {
    }

    private record Pending(int attempt, String lastFailure) implements Status {
    }

    private record GaveUp(int attempts, String lastFailure) implements Status {
    }

    /**
     * @param ready     members whose inboxes are known to exist (checked or created at start)
     * @param provision checks (or creates) one inbox; runs on {@code worker}
     * @param worker    runs the attempts; owned and shut down by this
     * @param limitSeen told the message size limit of each inbox made ready
     */
    MemberInboxes(KafkaTransportConfig config, Collection<String> ready, Provision provision,
                  ScheduledExecutorService worker, LongConsumer limitSeen) {
        this.config = config;
        this.provision = provision;
        this.worker = worker;
        this.limitSeen = limitSeen;
        ready.forEach(id -> status.put(id, new Ready()));
    }

    /** Whether {@code member}'s inbox is known to exist. */
    boolean isReady(String member) {
        return status.get(member) instanceof Ready;
    }

    /** Why a message to {@code member} is held back, for the drop counter's detail. */
    String whyNotReady(String member) {
        String inbox = config.topicNames().inboxOf(member);
        Status s = status.get(member);
        if (s instanceof Pending p) {
            return "inbox " + inbox + " of new member " + member + " is not yet known to exist: being "
                    + (config.createTopics() ? "created" : "checked") + " (attempt " + p.attempt() + " of "
                    + config.startupRetryMaxAttempts() + (p.lastFailure() == null ? "" : "; last failure: "
                    + p.lastFailure()) + ")";
        }
        if (s instanceof GaveUp g) {
            return "inbox " + inbox + " of member " + member + " could not be " + (config.createTopics() ? "created"
                    : "found") + " in " + g.attempts() + " attempts (" + g.lastFailure() + "); create it "
                    + "(docs/KAFKA.md); it is checked again at the next membership change";
        }
        return "inbox " + inbox + " of " + member + " was never asked for";
    }

    /**
     * The configuration now names {@code members}: makes sure each new one's inbox exists (in the background) and
     * forgets the ones no longer named. Never blocks.
     */
    void ensure(Set<String> members) {
        status.keySet().removeIf(id -> !members.contains(id) && !(status.get(id) instanceof Pending));
        for (String member : members) {
            Status s = status.get(member);
            if (s == null || s instanceof GaveUp) {
                status.put(member, new Pending(1, null));
                schedule(member, 1, 0);
            }
        }
    }

    private void schedule(String member, int attempt, long delayMs) {
        try {
            worker.schedule(() -> attempt(member, attempt), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            status.remove(member);
        }
    }

    private void attempt(String member, int attempt) {
        String inbox = config.topicNames().inboxOf(member);
        try {
            long limit = provision.ensure(inbox, config.startupAttemptTimeoutMs());
            status.put(member, new Ready());
            limitSeen.accept(limit);
            LOG.info("Inbox {} of member {} exists; messages to it are sent from now on", inbox, member);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.remove(member);
        } catch (Exception e) {
            String failure = e.toString();
            boolean fatal = e instanceof InboxProvisioner.FatalStartupException;
            if (fatal || attempt >= config.startupRetryMaxAttempts()) {
                status.put(member, new GaveUp(attempt, failure));
                LOG.error("Giving up on inbox {} of member {} after {} attempt(s): {}. Nothing is sent to {} until "
                        + "the topic exists: create it (1 partition, see docs/KAFKA.md); it is checked again at the "
                        + "next membership change", inbox, member, attempt, failure, member);
                return;
            }
            long backoff = Math.min(config.startupRetryBackoffMaxMs(),
                    config.startupRetryBackoffMs() << Math.min(20, attempt - 1));
            LOG.warn("Inbox {} of member {}: attempt {} of {} failed ({}); retrying in {} ms", inbox, member, attempt,
                    config.startupRetryMaxAttempts(), failure, backoff);
            status.put(member, new Pending(attempt + 1, failure));
            schedule(member, attempt + 1, backoff);
        }
    }

    /** Stops the attempts in progress. */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
