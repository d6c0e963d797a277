package io.raftbus.sqlite;

/**
 * The file is not a SQLite database, is damaged, or is a SQLite database that is not a raftbus log. The file is
 * left untouched; restore it from a backup, or move it away and let the node catch up from the leader. Always
 * {@linkplain #isPermanent() permanent}: a log that finds damage while running refuses every later call.
 */
public class SqliteLogCorruptException extends SqliteLogException {

    public SqliteLogCorruptException(String message) {
        super(message, null, true);
    }

    public SqliteLogCorruptException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
