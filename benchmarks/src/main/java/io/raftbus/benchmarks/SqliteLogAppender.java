package io.raftbus.benchmarks;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.SqliteLog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Appends through {@link SqliteLog#append}, with its durable defaults (WAL, synchronous=FULL). */
final class SqliteLogAppender implements Appender {

    private final SqliteLog log;

    SqliteLogAppender(Path file) {
        this.log = SqliteLog.open(file, "bench", "node-1");
    }

    @Override
    public void append(long first, int count) {
        List<LogEntry> batch = new ArrayList<>(count);
        for (long i = first; i < first + count; i++) {
            batch.add(new LogEntry(i, 1, EntryType.COMMAND, Appender.payload(i)));
        }
        log.append(batch);
    }

    @Override
    public void close() {
        log.close();
    }
}
