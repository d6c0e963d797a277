package io.raftbus.benchmarks;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.Durability;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Appends through {@link SqliteLog#append} (WAL, the given synchronous level). */
final class SqliteLogAppender implements Appender {

    private final SqliteLog log;

    SqliteLogAppender(Path file, Durability durability) {
        this.log = SqliteLog.open(file, "bench", "node-1", SqliteLogOptions.defaults().withDurability(durability));
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
