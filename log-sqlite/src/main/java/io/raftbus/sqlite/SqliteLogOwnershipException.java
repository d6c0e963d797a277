package io.raftbus.sqlite;

/**
 * The database was created for another node or another cluster (both ids are stored when the log is created and
 * checked on every open). Usually a configuration mistake: two nodes pointed at one file, or a data directory
 * copied between machines. The file is left untouched.
 */
public class SqliteLogOwnershipException extends SqliteLogException {

    public SqliteLogOwnershipException(String message) {
        super(message);
    }
}
