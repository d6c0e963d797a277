package io.raftbus.sqlite;

/**
 * The storage under the log refused: the directory is missing or read-only, the disk (or the database's size cap)
 * is full, an I/O error occurred, or another process holds the log. A write that failed with this left the log
 * unchanged; free space or fix the directory and retry. After an I/O error the failure is
 * {@linkplain #isPermanent() permanent}: the log refuses every later call until the node restarts.
 */
public class SqliteLogStorageException extends SqliteLogException {

    public SqliteLogStorageException(String message) {
        super(message);
    }

    public SqliteLogStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public SqliteLogStorageException(String message, Throwable cause, boolean permanent) {
        super(message, cause, permanent);
    }
}
