package io.raftbus.benchmarks;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.Durability;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Benchmark (a main program, not a test) of {@link SqliteLog}: appends per second for batches of 1, 64 and 1024
 * entries of 100 bytes, beside a raw JDBC batched insert of the same rows into a bare table (the baseline, same
 * WAL and synchronous settings), in rounds that alternate which goes first (medians reported); once with
 * synchronous=FULL, once with OFF to show the library's own overhead without fsync noise. Then the time to open
 * a log of {@code -Dbench.entries} (1,000,000) entries. Argument: a scratch directory (emptied first).
 */
public final class SqliteLogBenchmark {

    private static final int[] BATCH_SIZES = {1, 64, 1024};

    private SqliteLogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-data").toAbsolutePath();
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "2"));
        long openEntries = Long.parseLong(System.getProperty("bench.entries", "1000000"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "4"));
        recreate(dir);
        System.out.printf("machine: %d cores, %s %s, Java %s, SQLite %s; %s s per measurement, %d rounds%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), sqliteVersion(dir), seconds,
                rounds);
        appendTable(dir, Durability.FULL, seconds, rounds);
        appendTable(dir, Durability.OFF_UNSAFE, seconds, rounds);
        System.out.println();
        openBenchmark(dir.resolve("open.db"), openEntries);
    }

    private static void appendTable(Path dir, Durability durability, double seconds, int rounds) throws Exception {
        System.out.println();
        System.out.println("synchronous=" + durability.pragmaValue() + ", WAL, both sides:");
        System.out.println();
        System.out.println("| batch | SqliteLog entries/s (min-max) | baseline entries/s (min-max) | ratio"
                + " | SqliteLog commits/s |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int batch : BATCH_SIZES) {
            double[] log = new double[rounds];
            double[] base = new double[rounds];
            for (int round = 0; round < rounds; round++) { // alternate which goes first, against drift
                String name = durability + "-" + batch + "-" + round + ".db";
                Path baseFile = dir.resolve("base-" + name);
                Path logFile = dir.resolve("log-" + name);
                if (round % 2 == 0) {
                    base[round] = measure(new JdbcBaselineAppender(baseFile, durability), batch, seconds);
                    log[round] = measure(new SqliteLogAppender(logFile, durability), batch, seconds);
                } else {
                    log[round] = measure(new SqliteLogAppender(logFile, durability), batch, seconds);
                    base[round] = measure(new JdbcBaselineAppender(baseFile, durability), batch, seconds);
                }
                Files.delete(baseFile);
                Files.delete(logFile);
            }
            double logRate = median(log);
            double baseRate = median(base);
            System.out.printf("| %d | %,.0f (%s) | %,.0f (%s) | %.2f | %,.0f |%n", batch, logRate, range(log),
                    baseRate, range(base), logRate / baseRate, logRate / batch);
        }
    }

    /** Entries per second appended by {@code appender} in batches of {@code batch}, after a short warm-up. */
    private static double measure(Appender appender, int batch, double seconds) throws Exception {
        try (appender) {
            long next = 1;
            long warmUpEnd = System.nanoTime() + (long) (seconds * 0.25e9);
            while (System.nanoTime() < warmUpEnd) {
                appender.append(next, batch);
                next += batch;
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long appended = 0;
            while (System.nanoTime() < end) {
                appender.append(next, batch);
                next += batch;
                appended += batch;
            }
            return appended / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void openBenchmark(Path file, long entries) {
        long fillStart = System.nanoTime();
        try (SqliteLog log = SqliteLog.open(file, "bench", "node-1")) {
            List<LogEntry> batch = new ArrayList<>(1024);
            for (long i = 1; i <= entries; i++) {
                batch.add(new LogEntry(i, 1 + i / 100_000, EntryType.COMMAND, Appender.payload(i)));
                if (batch.size() == 1024 || i == entries) {
                    log.append(batch);
                    batch.clear();
                }
            }
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        double[] opens = new double[5];
        for (int i = 0; i < opens.length; i++) {
            long start = System.nanoTime();
            try (SqliteLog log = SqliteLog.open(file, "bench", "node-1")) {
                if (log.lastIndex() != entries) {
                    throw new IllegalStateException("reopened log ends at " + log.lastIndex());
                }
                opens[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        long start = System.nanoTime();
        SqliteLog.open(file, "bench", "node-1", SqliteLogOptions.defaults().withIntegrityCheckOnOpen(true)).close();
        double checkedMs = (System.nanoTime() - start) / 1e6;
        System.out.printf("open a %,d-entry log (%,d MB, filled in %.1f s): first %.1f ms, median of %d %.1f ms;"
                        + " with integrityCheckOnOpen %.0f ms%n", entries, size(file) >> 20, fillSeconds, opens[0],
                opens.length, median(opens), checkedMs);
    }

    private static String range(double[] values) {
        return String.format("%,.0f-%,.0f", Arrays.stream(values).min().orElse(0),
                Arrays.stream(values).max().orElse(0));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String sqliteVersion(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("version.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
