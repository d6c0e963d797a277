package io.raftbus.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes committed transactions durable for {@link Durability#DATASYNC}: after each commit, one {@code fdatasync} of
 * the database's write-ahead log ({@code <file>-wal}) through a read-only channel the log keeps open. SQLite runs at
 * {@code synchronous=NORMAL} then, which writes each commit's frames to the WAL without syncing them and still syncs
 * the WAL's header when the WAL is reused after a checkpoint, and the WAL and the database at every checkpoint; the
 * sync here is the one SQLite's {@code synchronous=FULL} would make at the commit, as {@code fdatasync} rather than
 * the {@code fsync} the bundled SQLite is built with (it flushes the data and the size, not the modification time,
 * so on ext4 an overwrite of a reused WAL needs no journal commit, shared with every other writer of the file
 * system). The WAL is created by SQLite when the log opens and kept while its connection is open (only the last
 * connection to close deletes it), so one channel serves the log's lifetime; its directory entry is synced once
 * when the channel opens. SQLite takes no lock on the WAL file itself (its locks are on the database and the
 * {@code -shm} files), so this channel's closing cannot release one of them.
 */
final class WalSync implements AutoCloseable {

    private final Path wal;
    private final FileChannel channel;

    /** Opens the WAL of {@code dbFile}, which the caller's first transaction has created, and syncs it once. */
    WalSync(Path dbFile) throws IOException {
        wal = dbFile.resolveSibling(dbFile.getFileName() + "-wal");
        if (!Files.exists(wal)) {
            throw new IOException("the write-ahead log " + wal + " does not exist after the first transaction");
        }
        channel = FileChannel.open(wal, StandardOpenOption.READ);
        DatabaseFiles.syncDirectory(wal.getParent());
        sync();
    }

    /** Makes everything written to the WAL so far durable ({@code fdatasync}). */
    void sync() throws IOException {
        channel.force(false);
    }

    /** The WAL's path. */
    Path wal() {
        return wal;
    }

    /** Test hook: closes the channel, so that the next {@link #sync()} fails as a failed {@code fdatasync} would. */
    void breakForTest() throws IOException {
        channel.close();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
