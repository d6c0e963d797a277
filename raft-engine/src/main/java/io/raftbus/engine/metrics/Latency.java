package io.raftbus.engine.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Durations of one kind of operation (a log append, a Kafka send): a count, their total and the largest, since the
 * owner was created, and each observation forwarded to the {@linkplain #addObserver observers} registered at that
 * moment (for example a Micrometer {@code Timer}, which then keeps its own histogram). Recording is thread-safe and
 * allocation-free; observers run on the recording thread, so they must be quick and must not throw (a throw is
 * caught and ignored).
 */
public final class Latency {

    private static final LongConsumer[] NONE = new LongConsumer[0];

    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    private final Object observersLock = new Object();
    private volatile LongConsumer[] observers = NONE;

    /** Records one duration in nanoseconds (a negative one, from a clock that stepped back, counts as 0). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        count.increment();
        totalNanos.add(n);
        maxNanos.accumulate(n);
        for (LongConsumer observer : observers) {
            try {
                observer.accept(n);
            } catch (RuntimeException ignored) {
                // an observer's failure must not break the operation being timed
            }
        }
    }

    /** Observations so far. */
    public long count() {
        return count.sum();
    }

    /** Sum of the observed durations, in nanoseconds. */
    public long totalNanos() {
        return totalNanos.sum();
    }

    /** The largest observed duration, in nanoseconds (0 before any). */
    public long maxNanos() {
        return maxNanos.get();
    }

    /** From now on, {@code observer} receives every duration recorded (in nanoseconds). */
    public void addObserver(LongConsumer observer) {
        Objects.requireNonNull(observer, "observer");
        synchronized (observersLock) {
            LongConsumer[] more = Arrays.copyOf(observers, observers.length + 1);
            more[more.length - 1] = observer;
            observers = more;
        }
    }

    /** Stops sending durations to {@code observer} (the same instance given to {@link #addObserver}). */
    public void removeObserver(LongConsumer observer) {
        synchronized (observersLock) {
            LongConsumer[] now = observers;
            for (int i = 0; i < now.length; i++) {
                if (now[i] == observer) {
                    LongConsumer[] fewer = new LongConsumer[now.length - 1];
                    System.arraycopy(now, 0, fewer, 0, i);
                    System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                    observers = fewer;
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        long n = count();
        return "Latency[count=" + n + ", meanMicros=" + (n == 0 ? 0 : totalNanos() / n / 1000)
                + ", maxMicros=" + maxNanos() / 1000 + "]";
    }
}
