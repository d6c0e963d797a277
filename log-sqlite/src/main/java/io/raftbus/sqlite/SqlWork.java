package io.raftbus.sqlite;

import java.sql.SQLException;

/** A unit of work run inside one of the log's transactions. */
@FunctionalInterface
interface SqlWork<T> {
    T run() throws SQLException;
}
