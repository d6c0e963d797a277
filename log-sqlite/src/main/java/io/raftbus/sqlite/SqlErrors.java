package io.raftbus.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;

/** Turns SQLite's error codes into the {@link SqliteLogException} an operator can act on. */
final class SqlErrors {

    static final int SQLITE_ERROR = 1;
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_NOTADB = 26;

    private SqlErrors() {
    }

    /** SQLite's primary result code of the failure (extended codes carry it in the low byte). */
    static int primaryCode(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sqlException && sqlException.getErrorCode() != 0) {
                return sqlException.getErrorCode() & 0xFF;
            }
        }
        return 0;
    }

    /**
     * Whether the failure means the file or the device can no longer be trusted (the log then fails-stop); the
     * exception {@link #translate} makes of it is then {@linkplain SqliteLogException#isPermanent() permanent}.
     */
    static boolean isFatal(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_IOERR || code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
    }

    /** The exception to throw for {@code e}, which happened while doing {@code what} on the log at {@code file}. */
    static SqliteLogException translate(Path file, String what, SQLException e) {
        String where = " (" + what + " on " + file + "; SQLite: " + e.getMessage() + ")";
        return switch (primaryCode(e)) {
            case SQLITE_NOTADB -> new SqliteLogCorruptException(
                    "not a SQLite database: refusing to use it as a raftbus log" + where, e);
            case SQLITE_CORRUPT -> new SqliteLogCorruptException(
                    "the database is damaged; restore it from a backup or move it away and let the node catch up"
                            + where, e);
            case SQLITE_FULL -> new SqliteLogStorageException(
                    "the disk or the database's size limit is full; nothing of this write was stored, free space"
                            + " and retry" + where, e);
            case SQLITE_IOERR -> new SqliteLogStorageException(
                    "I/O error; nothing of this write was acknowledged, check the disk and restart the node" + where,
                    e, true);
            case SQLITE_READONLY, SQLITE_CANTOPEN -> new SqliteLogStorageException(
                    "the database or its directory is not writable (WAL mode needs to create -wal and -shm files"
                            + " beside the database)" + where, e);
            case SQLITE_BUSY, SQLITE_LOCKED -> new SqliteLogStorageException(
                    "the database is locked by another connection (a second node on the same file, or a long"
                            + " operation in an operator's shell)" + where, e);
            default -> new SqliteLogException("SQLite failed" + where, e);
        };
    }
}
