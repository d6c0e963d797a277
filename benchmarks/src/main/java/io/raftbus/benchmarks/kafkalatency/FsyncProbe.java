package io.raftbus.benchmarks.kafkalatency;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * One durable log write as a node makes it for one command: {@link SqliteLog#append} of one 100-byte entry with the
 * clusters' durability (by default {@code synchronous=FULL}: one transaction, one fsync of the WAL), timed one at a
 * time, alone on the disk.
 */
final class FsyncProbe implements AutoCloseable {

    private final SqliteLog log;
    private final SqliteLogOptions options;
    private long index;

    FsyncProbe(Path file, SqliteLogOptions options) {
        this.options = options;
        log = SqliteLog.open(file, "fsync-probe", "probe", options);
        index = log.lastIndex();
    }

    /** Appends one entry at a time for {@code seconds}. */
    Nanos run(double seconds) {
        Nanos appends = new Nanos();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        byte[] payload = new byte[100];
        while (System.nanoTime() < end) {
            index++;
            long start = System.nanoTime();
            log.append(List.of(new LogEntry(index, 1, EntryType.COMMAND, payload)));
            appends.add(System.nanoTime() - start);
        }
        return appends;
    }

    String durability() {
        return options.durability().name();
    }

    @Override
    public void close() {
        log.close();
    }
}
