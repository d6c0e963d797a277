package io.raftbus.benchmarks;

/** Something that durably appends a batch of benchmark rows: the SQLite log, or the raw JDBC baseline. */
interface Appender extends AutoCloseable {

    /** Appends {@code count} rows starting at index {@code first}, durably, in one transaction. */
    void append(long first, int count) throws Exception;

    @Override
    void close() throws Exception;

    /** The fixed 100-byte payload of every benchmark row (content varies with the index). */
    static byte[] payload(long index) {
        byte[] bytes = new byte[100];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (index + i);
        }
        return bytes;
    }
}
