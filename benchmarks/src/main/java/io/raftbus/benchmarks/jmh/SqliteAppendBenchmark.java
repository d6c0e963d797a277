package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.sqlite.SqliteLog;
import io.raftbus.sqlite.SqliteLogOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What one durable append of one 100-byte entry costs, and what it is made of, one append at a time per thread (run
 * with {@code -t 3} for three nodes sharing one disk, as a benchmark cluster does): {@link SqliteLog#append} with the
 * log's default durability ({@code synchronous=FULL}: SQLite's {@code fsync} of the WAL at each commit), against a
 * bare JDBC {@code BEGIN IMMEDIATE; INSERT; COMMIT} into a table of the same shape at {@code synchronous=FULL}, and
 * against the file system's floor, a WAL frame's worth of bytes (4,120) overwritten in a pre-allocated file and then
 * {@code fdatasync} ({@code force(false)}) or {@code fsync} ({@code force(true)}); also the append followed by the
 * read of the appended entry, which the leader makes to hand a committed entry out, and that read alone, of an entry
 * just appended ({@code readRecent}) and of one 1,500 entries back ({@code readOlder}). Each thread has its own files
 * in its own temporary directory. The methods run one after the other, not interleaved: on a shared machine the
 * disk's latency drifts by several times within minutes, so compare durable writes only within one run, alternated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class SqliteAppendBenchmark {

    /** Entries in the log before the measurement starts (in batches: few fsyncs). */
    static final int PRELOADED = 2_000;
    /** A WAL frame: a 24-byte header and one 4,096-byte page. */
    static final int FRAME_BYTES = 4_120;
    /** The overwritten region, about a WAL between checkpoints (1,000 pages). */
    static final int FILE_FRAMES = 1_000;

    private Path dir;
    private SqliteLog log;
    private long index;
    private Connection jdbc;
    private PreparedStatement begin;
    private PreparedStatement insert;
    private PreparedStatement commit;
    private long jdbcIndex;
    private FileChannel file;
    private ByteBuffer frame;
    private long frameNo;
    private byte[] payload;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("sqlite-append-bench-");
        payload = new byte[100];
        log = SqliteLog.open(dir.resolve("log.db"), "bench", "n1", SqliteLogOptions.defaults());
        for (int b = 0; b < PRELOADED / 100; b++) {
            List<LogEntry> batch = new java.util.ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                batch.add(new LogEntry(b * 100L + i, 1, EntryType.COMMAND, payload));
            }
            log.append(batch);
        }
        index = log.lastIndex();
        jdbc = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bare.db"));
        try (Statement s = jdbc.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            s.execute("CREATE TABLE rows (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL, type TEXT NOT NULL,"
                    + " payload BLOB NOT NULL)");
        }
        begin = jdbc.prepareStatement("BEGIN IMMEDIATE");
        insert = jdbc.prepareStatement("INSERT INTO rows (idx, term, type, payload) VALUES (?, ?, ?, ?)");
        commit = jdbc.prepareStatement("COMMIT");
        file = FileChannel.open(dir.resolve("frames"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        frame = ByteBuffer.allocateDirect(FRAME_BYTES);
        for (int i = 0; i < FILE_FRAMES; i++) { // pre-allocated: later writes overwrite, as in a reused WAL
            frame.clear();
            file.write(frame, (long) i * FRAME_BYTES);
        }
        file.force(true);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        log.close();
        jdbc.close();
        file.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code SqliteLog.append} of one entry: one transaction, one commit, one sync of the WAL. */
    @Benchmark
    public long logAppend() {
        index++;
        log.append(List.of(new LogEntry(index, 1, EntryType.COMMAND, payload)));
        return index;
    }

    /** The append, then the read of that entry (the leader's hand-out of a committed command). */
    @Benchmark
    public List<LogEntry> logAppendThenRead() {
        index++;
        log.append(List.of(new LogEntry(index, 1, EntryType.COMMAND, payload)));
        return log.read(index, index + 1, 1 << 20);
    }

    /** The read of the last entry appended, as the leader's hand-out of a just-committed command makes it. */
    @Benchmark
    public List<LogEntry> readRecent() {
        return log.read(index, index + 1, 1 << 20);
    }

    /** The read of an entry 1,500 back: beyond what the log keeps in memory, always a query. */
    @Benchmark
    public List<LogEntry> readOlder() {
        return log.read(index - 1_500, index - 1_499, 1 << 20);
    }

    /**
     * The same row with bare JDBC at {@code synchronous=FULL}: what SQLite itself costs, without the log's checks and
     * bookkeeping.
     */
    @Benchmark
    public long bareJdbcInsert() throws SQLException {
        jdbcIndex++;
        begin.execute();
        insert.setLong(1, jdbcIndex);
        insert.setLong(2, 1);
        insert.setString(3, "COMMAND");
        insert.setBytes(4, payload);
        insert.executeUpdate();
        commit.execute();
        return jdbcIndex;
    }

    /** A WAL frame's bytes overwritten, then {@code fdatasync}: the floor of a durable write on this disk. */
    @Benchmark
    public long frameFdatasync() throws IOException {
        return writeFrame(false);
    }

    /** The same, then {@code fsync} (also flushes the file's metadata, such as its modification time). */
    @Benchmark
    public long frameFsync() throws IOException {
        return writeFrame(true);
    }

    private long writeFrame(boolean metadata) throws IOException {
        frame.clear();
        frame.putLong(0, frameNo);
        file.write(frame, (frameNo++ % FILE_FRAMES) * FRAME_BYTES);
        file.force(metadata);
        return frameNo;
    }
}
