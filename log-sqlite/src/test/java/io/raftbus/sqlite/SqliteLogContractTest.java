package io.raftbus.sqlite;

import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogApiContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The LogAPI contract against {@link SqliteLog}; a restart closes the database and opens the file again. */
class SqliteLogContractTest extends LogApiContract {

    @TempDir
    Path dir;

    @Override
    protected LogAPI newLog() {
        return SqliteLog.open(dir.resolve("node.db"), "cluster-1", "node-1");
    }

    @Override
    protected LogAPI reopen(LogAPI closing) {
        closing.close();
        return SqliteLog.open(dir.resolve("node.db"), "cluster-1", "node-1");
    }
}
