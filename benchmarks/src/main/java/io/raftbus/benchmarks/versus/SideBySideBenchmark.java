package io.raftbus.benchmarks.versus;

import io.raftbus.benchmarks.snapshot.BenchSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Benchmark (a main program, not a test) of raftbus against MicroRaft in the same JVM: three nodes each, in-memory
 * transport and log, 100-byte commands, a state machine that does nothing, each library's defaults. Every round
 * measures both libraries one after the other, on a fresh cluster each (only one cluster runs at a time), the first
 * alternating between rounds; the table gives each library's median and the per-round ratio raftbus ÷ MicroRaft as a
 * median with its min–max. Settings: see {@link WorkloadSettings}. With {@code -Dbench.versus.load.only=raftbus} (or
 * {@code microraft}, {@code raftbus_on_loop}) it instead runs only that library's commands workload, as a target for a
 * profiler ({@link CommandLoad}). With {@code -Dbench.versus.completeOnEventLoop=true} every round also measures
 * raftbus with {@link io.raftbus.engine.RaftConfig#completeOnEventLoop()} on ({@link Contender#RAFTBUS_ON_LOOP}),
 * the three rotating which goes first, and a second table sets it against MicroRaft and raftbus's defaults.
 */
public final class SideBySideBenchmark {

    /** A system property: also measure {@link Contender#RAFTBUS_ON_LOOP} in every round. */
    static final String ON_LOOP_PROPERTY = "bench.versus.completeOnEventLoop";

    private SideBySideBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        WorkloadSettings settings = WorkloadSettings.fromSystemProperties();
        String loadOnly = System.getProperty("bench.versus.load.only", "");
        if (!loadOnly.isBlank()) {
            CommandLoad.run(loadOnly, settings);
            return;
        }
        System.out.printf("machine: %d cores, %s %s, Java %s, max heap %,d MB; load average at start: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, BenchSupport.loadAverage());
        System.out.printf("3 nodes, %d-byte operations, %d in flight for throughput; %s s per workload after %s s"
                        + " warm-up; idle window %s s; retained heap after %,d commands; %d rounds%n",
                ClosedLoop.OPERATION_BYTES, settings.inFlight(), settings.seconds(), settings.warmUpSeconds(),
                settings.idleSeconds(), settings.retainedCommands(), settings.rounds());
        long begin = System.nanoTime();
        ResourceMeter meter = new ResourceMeter();
        ContenderRun run = new ContenderRun(settings, meter);
        ComparisonTable table = new ComparisonTable();
        List<Contender> contenders = Boolean.getBoolean(ON_LOOP_PROPERTY)
                ? List.of(Contender.RAFTBUS, Contender.MICRORAFT, Contender.RAFTBUS_ON_LOOP)
                : List.of(Contender.RAFTBUS, Contender.MICRORAFT);
        for (int round = 0; round < settings.rounds(); round++) {
            List<Contender> order = new ArrayList<>(contenders);
            Collections.rotate(order, -(round % contenders.size())); // each goes first in turn
            for (Contender contender : order) {
                long start = System.nanoTime();
                Map<Metric, Double> values = run.measure(contender);
                table.add(contender, values);
                System.out.printf("round %d, %s (%.0f s): %s%n", round + 1, contender.label(),
                        (System.nanoTime() - start) / 1e9, describe(values, settings.retainedCommands()));
            }
        }
        System.out.printf("load average at end: %s; whole run %.0f s; failed operations (all rounds): %s%n%n",
                BenchSupport.loadAverage(), (System.nanoTime() - begin) / 1e9, run.failures());
        table.print(settings.retainedCommands());
    }

    private static String describe(Map<Metric, Double> values, long retainedCommands) {
        StringJoiner joined = new StringJoiner("; ");
        values.forEach((metric, value) ->
                joined.add(metric.label(retainedCommands) + " " + metric.format(value)));
        return joined.toString();
    }
}
