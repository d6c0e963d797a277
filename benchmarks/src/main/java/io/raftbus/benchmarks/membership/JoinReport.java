package io.raftbus.benchmarks.membership;

import io.raftbus.benchmarks.snapshot.BenchSupport;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Prints one line per join and the summary table (medians and min–max per variant) of {@link JoinTimes}. */
final class JoinReport {

    private JoinReport() {
    }

    static void printRound(int round, String joiner, JoinTimes t) {
        System.out.printf("round %d %-28s %s: leader log %,d–%,d; contact %s, snapshot chunks %s→%s ms"
                        + " (%,d bytes in %,d chunks), installed %s, caught up %s, promotion appended %s, voting %s ms;"
                        + " %,d entries received; load %,d submitted, %,d failed%s%n", round, t.variant(), joiner,
                t.leaderFirstIndex(), t.leaderLastIndex(), f(t.contactMs()), f(t.firstChunkMs()), f(t.lastChunkMs()),
                t.snapshotBytes(), t.chunks(), f(t.installedMs()), f(t.caughtUpMs()), f(t.promotionAppendedMs()),
                f(t.votingMs()), t.entriesReceived(), t.loadSubmitted(), t.loadFailed(),
                t.failure() == null ? "" : "; FAILED: " + t.failure());
    }

    /** The summary of {@code all}, one row per variant, in the order the variants first appear. */
    static void printTable(List<JoinTimes> all) {
        System.out.println();
        System.out.println("| variant | joins ok | leader's log at add: first index; last index |"
                + " snapshot sent, MB | snapshot chunks, first → last, ms | transfer MB/s | installed, ms |"
                + " caught up, ms | promotion appended, ms | voting, ms | entries received |"
                + " load: submitted, failed |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String variant : all.stream().map(JoinTimes::variant).distinct().toList()) {
            List<JoinTimes> rows = all.stream().filter(t -> t.variant().equals(variant)).toList();
            List<JoinTimes> ok = rows.stream().filter(t -> t.failure() == null).toList();
            System.out.printf("| %s | %d of %d | %s | %s | %s → %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    variant, ok.size(), rows.size(),
                    range(rows, t -> t.leaderFirstIndex(), "%,.0f") + "; " + range(rows, t -> t.leaderLastIndex(),
                            "%,.0f"),
                    cell(ok, t -> t.snapshotBytes() == 0 ? Double.NaN : t.snapshotBytes() / 1e6, "%.1f"),
                    cell(ok, JoinTimes::firstChunkMs, "%,.0f"), cell(ok, JoinTimes::lastChunkMs, "%,.0f"),
                    cell(ok, t -> t.snapshotBytes() / 1e3 / (t.lastChunkMs() - t.firstChunkMs()), "%.0f"),
                    cell(ok, JoinTimes::installedMs, "%,.0f"), cell(ok, JoinTimes::caughtUpMs, "%,.0f"),
                    cell(ok, JoinTimes::promotionAppendedMs, "%,.0f"), cell(ok, JoinTimes::votingMs, "%,.0f"),
                    cell(ok, t -> t.entriesReceived(), "%,.0f"),
                    cell(rows, t -> t.loadSubmitted(), "%,.0f") + ", " + cell(rows, t -> t.loadFailed(), "%,.0f"));
        }
    }

    /** "median (min–max)" of the values that are not NaN; "–" when there are none. */
    private static String cell(List<JoinTimes> rows, ToDoubleFunction<JoinTimes> field, String format) {
        double[] values = rows.stream().mapToDouble(field).filter(v -> !Double.isNaN(v)).toArray();
        if (values.length == 0) {
            return "–";
        }
        if (Arrays.stream(values).min().orElse(0) == Arrays.stream(values).max().orElse(0)) {
            return String.format(format, values[0]);
        }
        return String.format(format, BenchSupport.median(values)) + " (" + BenchSupport.range(values, format) + ")";
    }

    private static String range(List<JoinTimes> rows, ToDoubleFunction<JoinTimes> field, String format) {
        double[] values = rows.stream().mapToDouble(field).toArray();
        double min = Arrays.stream(values).min().orElse(Double.NaN);
        double max = Arrays.stream(values).max().orElse(Double.NaN);
        return min == max ? String.format(format, min) : BenchSupport.range(values, format);
    }

    private static String f(double ms) {
        return Double.isNaN(ms) ? "–" : String.format("%,.0f", ms);
    }
}
