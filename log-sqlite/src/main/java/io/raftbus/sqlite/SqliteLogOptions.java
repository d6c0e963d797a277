package io.raftbus.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for {@link SqliteLog}. The defaults ({@link #defaults()}) are durable; anything that weakens durability
 * is spelled out in {@link Durability}, and a node with peers refuses a log that is not durable unless built with
 * {@code RaftNode.Builder.unsafeAllowNonDurableLog(true)}.
 *
 * @param durability the {@code PRAGMA synchronous} level; {@link Durability#FULL} by default
 * @param busyTimeout how long a write waits for a lock held by another connection (for example an operator's
 *     {@code sqlite3} shell running a checkpoint) before failing
 * @param integrityCheckOnOpen run {@code PRAGMA quick_check} when opening, so that a damaged file is refused at
 *     start rather than found when a damaged page is first read; costs a full read of the file (seconds for
 *     millions of entries)
 */
public record SqliteLogOptions(Durability durability, Duration busyTimeout, boolean integrityCheckOnOpen) {

    public SqliteLogOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.isNegative()) {
            throw new IllegalArgumentException("busyTimeout must not be negative, got " + busyTimeout);
        }
    }

    /** Durable defaults: {@link Durability#FULL}, a 5 s busy timeout, no integrity check on open. */
    public static SqliteLogOptions defaults() {
        return new SqliteLogOptions(Durability.FULL, Duration.ofSeconds(5), false);
    }

    /**
     * A copy with another durability level (read that level's javadoc for its risk; a relaxed one needs
     * {@code RaftNode.Builder.unsafeAllowNonDurableLog(true)} for a node with peers).
     */
    public SqliteLogOptions withDurability(Durability level) {
        return new SqliteLogOptions(level, busyTimeout, integrityCheckOnOpen);
    }

    /** A copy with another busy timeout. */
    public SqliteLogOptions withBusyTimeout(Duration timeout) {
        return new SqliteLogOptions(durability, timeout, integrityCheckOnOpen);
    }

    /** A copy that does (or does not) check the file's integrity on open. */
    public SqliteLogOptions withIntegrityCheckOnOpen(boolean check) {
        return new SqliteLogOptions(durability, busyTimeout, check);
    }
}
