package io.raftbus.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Counts dropped messages per {@link DropCause} and logs a warning at most once per cause per
 * {@link #LOG_INTERVAL_NANOS} (a flood of garbage must not flood the log), or only once for drops that a setting
 * causes ({@link #dropWarningOnce}). Thread-safe.
 */
final class DropCounters {

    /** At most one warning per cause per minute. */
    static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);

    private final String owner;
    private final LongSupplier nanoClock;
    private final AtomicLongArray counts = new AtomicLongArray(DropCause.values().length);
    private final Map<DropCause, AtomicLong> nextLogAt = new EnumMap<>(DropCause.class);
    private final Map<DropCause, AtomicLong> suppressedSinceLog = new EnumMap<>(DropCause.class);
    private final Map<DropCause, AtomicBoolean> warnedOnce = new EnumMap<>(DropCause.class);

    DropCounters(String owner, LongSupplier nanoClock) {
        this.owner = owner;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        for (DropCause cause : DropCause.values()) {
            nextLogAt.put(cause, new AtomicLong(now));
            suppressedSinceLog.put(cause, new AtomicLong());
            warnedOnce.put(cause, new AtomicBoolean());
        }
    }

    /**
     * Counts one drop, and logs it unless this cause was logged less than a minute ago.
     *
     * @return whether this drop was logged
     */
    boolean drop(DropCause cause, String detail, Throwable error) {
        counts.incrementAndGet(cause.ordinal());
        long now = nanoClock.getAsLong();
        AtomicLong next = nextLogAt.get(cause);
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
            long suppressed = suppressedSinceLog.get(cause).getAndSet(0);
            String more = suppressed == 0 ? "" : " (" + suppressed + " more since the last report)";
            if (error != null) {
                LOG.warn("{} dropped a message [{}]: {}{}; further drops of this kind are logged at most once a "
                        + "minute, see dropCounts()", owner, cause.key(), detail, more, error);
            } else {
                LOG.warn("{} dropped a message [{}]: {}{}; further drops of this kind are logged at most once a "
                        + "minute, see dropCounts()", owner, cause.key(), detail, more);
            }
            return true;
        }
        suppressedSinceLog.get(cause).incrementAndGet();
        return false;
    }

    /**
     * Counts one drop that a setting causes and only the operator can end: logs {@code explanation} (what to do) for
     * the first drop of {@code cause} only; the count tells how many followed.
     *
     * @return whether this drop was logged
     */
    boolean dropWarningOnce(DropCause cause, String explanation) {
        counts.incrementAndGet(cause.ordinal());
        if (warnedOnce.get(cause).compareAndSet(false, true)) {
            LOG.warn("{} dropped a message [{}]: {}; further drops of this kind are not logged, see dropCounts()",
                    owner, cause.key(), explanation);
            return true;
        }
        return false;
    }

    long count(DropCause cause) {
        return counts.get(cause.ordinal());
    }

    /** Non-zero counters by {@link DropCause#key()}. */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        for (DropCause cause : DropCause.values()) {
            long n = counts.get(cause.ordinal());
            if (n > 0) {
                snapshot.put(cause.key(), n);
            }
        }
        return Map.copyOf(snapshot);
    }
}
