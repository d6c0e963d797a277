package io.raftbus.benchmarks.versus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Collects each round's values of both libraries and prints, per {@link Metric}, each library's median (min–max) and
 * the ratio raftbus ÷ MicroRaft as the median (min–max) of the per-round ratios, so drift between rounds does not
 * mix into a ratio. When {@link Contender#RAFTBUS_ON_LOOP} was measured too, a second table gives its median and its
 * per-round ratios to MicroRaft and to raftbus's defaults.
 */
final class ComparisonTable {

    private final Map<Contender, List<Map<Metric, Double>>> rounds = new EnumMap<>(Contender.class);

    void add(Contender contender, Map<Metric, Double> values) {
        rounds.computeIfAbsent(contender, c -> new ArrayList<>()).add(values);
    }

    void print(long retainedCommands) {
        List<Map<Metric, Double>> ours = rounds.getOrDefault(Contender.RAFTBUS, List.of());
        List<Map<Metric, Double>> theirs = rounds.getOrDefault(Contender.MICRORAFT, List.of());
        int n = Math.min(ours.size(), theirs.size());
        System.out.printf("| metric | %s median (min–max) | %s median (min–max) | raftbus ÷ MicroRaft median"
                + " (min–max) | better |%n", Contender.RAFTBUS.label(), Contender.MICRORAFT.label());
        System.out.println("|---|---:|---:|---:|---|");
        for (Metric metric : Metric.values()) {
            double[] a = new double[n];
            double[] b = new double[n];
            double[] ratio = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = ours.get(i).get(metric);
                b[i] = theirs.get(i).get(metric);
                ratio[i] = a[i] / b[i];
            }
            System.out.printf("| %s | %s | %s | %s | %s |%n", metric.label(retainedCommands), spread(metric, a),
                    spread(metric, b), ratioSpread(ratio), metric.higherIsBetter() ? "higher" : "lower");
        }
        printVariant(retainedCommands);
    }

    /** The table of {@link Contender#RAFTBUS_ON_LOOP}, if it was measured: against MicroRaft and raftbus, per round. */
    private void printVariant(long retainedCommands) {
        List<Map<Metric, Double>> variant = rounds.getOrDefault(Contender.RAFTBUS_ON_LOOP, List.of());
        List<Map<Metric, Double>> ours = rounds.getOrDefault(Contender.RAFTBUS, List.of());
        List<Map<Metric, Double>> theirs = rounds.getOrDefault(Contender.MICRORAFT, List.of());
        int n = Math.min(variant.size(), Math.min(ours.size(), theirs.size()));
        if (n == 0) {
            return;
        }
        System.out.printf("%n| metric | %s median (min–max) | ÷ MicroRaft median (min–max) | ÷ raftbus median"
                + " (min–max) | better |%n", Contender.RAFTBUS_ON_LOOP.label());
        System.out.println("|---|---:|---:|---:|---|");
        for (Metric metric : Metric.values()) {
            double[] v = new double[n];
            double[] toTheirs = new double[n];
            double[] toOurs = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = variant.get(i).get(metric);
                toTheirs[i] = v[i] / theirs.get(i).get(metric);
                toOurs[i] = v[i] / ours.get(i).get(metric);
            }
            System.out.printf("| %s | %s | %s | %s | %s |%n", metric.label(retainedCommands), spread(metric, v),
                    ratioSpread(toTheirs), ratioSpread(toOurs), metric.higherIsBetter() ? "higher" : "lower");
        }
    }

    private static String spread(Metric metric, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return metric.format(median(sorted)) + " (" + metric.format(sorted[0]) + "–"
                + metric.format(sorted[sorted.length - 1]) + ")";
    }

    private static String ratioSpread(double[] ratios) {
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return String.format("**%.2f** (%.2f–%.2f)", median(sorted), sorted[0], sorted[sorted.length - 1]);
    }

    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
