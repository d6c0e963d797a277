package io.raftbus.benchmarks.snapshot;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Small helpers shared by the snapshot and membership benchmarks: load average, medians, polling a status, files. */
public final class BenchSupport {

    private BenchSupport() {
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static String range(double[] values, String format) {
        return String.format(format, Arrays.stream(values).min().orElse(Double.NaN)) + "–"
                + String.format(format, Arrays.stream(values).max().orElse(Double.NaN));
    }

    /**
     * Polls {@code node}'s status every 200 µs until {@code condition} holds; returns {@link System#nanoTime()} at
     * the first poll that saw it. Prints the status every 10 s while waiting.
     */
    public static long awaitStatus(RaftNode node, Predicate<RaftStatus> condition, Duration timeout, String what)
            throws TimeoutException {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        long nextReport = begin + 10_000_000_000L;
        while (true) {
            RaftStatus status = node.status();
            long now = System.nanoTime();
            if (condition.test(status)) {
                return now;
            }
            if (now > deadline) {
                throw new TimeoutException(what + " not reached within " + timeout + "; status " + status);
            }
            if (now > nextReport) {
                System.out.printf("  waiting %.0f s for %s: %s%n", (now - begin) / 1e9, what, status);
                nextReport = now + 10_000_000_000L;
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Copies a directory tree (files only) into {@code to}, which is deleted first. */
    static void copyTree(Path from, Path to) throws IOException {
        deleteRecursively(to);
        Files.createDirectories(to);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
