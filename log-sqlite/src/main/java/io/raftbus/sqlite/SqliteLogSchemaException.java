package io.raftbus.sqlite;

/**
 * The database's schema version ({@code PRAGMA user_version}) is newer than this version of raftbus understands,
 * typically after a downgrade. The file is left untouched; run a raftbus version that knows the schema.
 */
public class SqliteLogSchemaException extends SqliteLogException {

    public SqliteLogSchemaException(String message) {
        super(message);
    }
}
