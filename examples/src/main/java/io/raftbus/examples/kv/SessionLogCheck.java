package io.raftbus.examples.kv;

import io.raftbus.engine.session.SessionEnvelope;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;

import java.nio.file.Path;
import java.util.List;

/**
 * Refuses a log written by a node without client sessions (an earlier version of the example): with sessions on, its
 * commands would not be session envelopes, so every node would skip them as malformed and the data in them would
 * silently vanish. Looks at the first command entry only (a session cluster's first command is a registration);
 * a log compacted past its commands is caught when its snapshot, taken without sessions, is refused at restore.
 */
final class SessionLogCheck {

    private static final long BATCH_BYTES = 1 << 20;

    private SessionLogCheck() {
    }

    /** @throws IllegalStateException naming {@code logFile} if its first command is no session envelope */
    static void requireSessionCommands(LogAPI log, Path logFile) {
        long last = log.lastIndex();
        for (long from = Math.max(1, log.firstIndex()); from <= last; ) {
            List<LogEntry> batch = log.read(from, last + 1, BATCH_BYTES);
            if (batch.isEmpty()) {
                return;
            }
            for (LogEntry e : batch) {
                if (e.type() == EntryType.COMMAND) {
                    if (!SessionEnvelope.isEnvelope(e.payload())) {
                        throw new IllegalStateException(logFile + " was written without client sessions (by an"
                                + " earlier version of this example): its commands (the first at index " + e.index()
                                + ") would be skipped as malformed now that every node runs sessions. Start with a"
                                + " new --data directory (and a new --cluster id, as every node must)");
                    }
                    return;
                }
            }
            from = batch.get(batch.size() - 1).index() + 1;
        }
    }
}
