package io.raftbus.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.raftbus.engine.metrics.Latency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The meters one binder registered on one registry, so that they can be removed again (with the observers that
 * feed the timers). Gauges and counters read their source when the registry asks; timers receive every duration as
 * it is recorded (from registration on), so the registry keeps its own distribution of them.
 */
final class BoundMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final List<Runnable> detach = new ArrayList<>();

    BoundMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> void gauge(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    <T> void counter(String name, String description, Tags tags, T source, ToDoubleFunction<T> count) {
        meters.add(FunctionCounter.builder(name, source, count).description(description).tags(tags)
                .register(registry));
    }

    void timer(String name, String description, Tags tags, Latency latency) {
        Timer timer = Timer.builder(name).description(description).tags(tags).register(registry);
        LongConsumer observer = nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
        latency.addObserver(observer);
        meters.add(timer);
        detach.add(() -> latency.removeObserver(observer));
    }

    /** Stops feeding the timers and removes every meter from the registry. */
    void removeAll() {
        detach.forEach(Runnable::run);
        detach.clear();
        meters.forEach(registry::remove);
        meters.clear();
    }
}
