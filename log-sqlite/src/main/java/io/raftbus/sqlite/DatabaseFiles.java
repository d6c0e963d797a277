package io.raftbus.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * File-system checks made before SQLite touches anything, so that a wrong path fails with a clear message and no
 * file is created or modified: the directory must exist and be writable, an existing file must be a SQLite
 * database, and no other {@link SqliteLog} may hold the file.
 */
final class DatabaseFiles {

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private DatabaseFiles() {
    }

    /** Checks the directory and the file; returns whether the file already exists (with content). */
    static boolean check(Path dbFile) {
        Path dir = dbFile.getParent();
        if (dir == null || !Files.exists(dir)) {
            throw new SqliteLogStorageException("directory " + dir + " for the log " + dbFile.getFileName()
                    + " does not exist; create it first (raftbus does not create data directories, so that a"
                    + " mistyped path does not silently start an empty log)");
        }
        if (!Files.isDirectory(dir)) {
            throw new SqliteLogStorageException(dir + " is not a directory; give the log a path inside a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new SqliteLogStorageException("directory " + dir + " is read-only; the log needs to write "
                    + dbFile.getFileName() + " and its -wal and -shm files there: make it writable for this user");
        }
        if (Files.isDirectory(dbFile)) {
            throw new SqliteLogStorageException(dbFile + " is a directory; give the path of the database file");
        }
        if (!Files.exists(dbFile)) {
            return false;
        }
        if (!Files.isWritable(dbFile)) {
            throw new SqliteLogStorageException(dbFile + " is read-only; make it writable for this user");
        }
        checkHeader(dbFile);
        try {
            return Files.size(dbFile) > 0;
        } catch (IOException e) {
            throw new SqliteLogStorageException("cannot read the size of " + dbFile + ": " + e.getMessage(), e);
        }
    }

    private static void checkHeader(Path dbFile) {
        byte[] head;
        try (InputStream in = Files.newInputStream(dbFile)) {
            head = in.readNBytes(SQLITE_HEADER.length);
        } catch (IOException e) {
            throw new SqliteLogStorageException("cannot read " + dbFile + ": " + e.getMessage(), e);
        }
        if (head.length > 0 && !Arrays.equals(head, SQLITE_HEADER)) {
            throw new SqliteLogCorruptException(dbFile + " is not a SQLite database (its header is not 'SQLite"
                    + " format 3'); refusing to touch it: check the configured path, or restore the file from a"
                    + " backup");
        }
    }

    /**
     * Takes an exclusive lock on {@code <dbFile>.lock}, held until {@link FileLock#release()} or the process ends,
     * so that two logs (in this or another process) never write one database.
     */
    static FileLock lock(Path dbFile) {
        Path lockFile = dbFile.resolveSibling(dbFile.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw alreadyOpen(dbFile, null);
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw alreadyOpen(dbFile, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SqliteLogStorageException("cannot create the lock file " + lockFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Releases a lock taken by {@link #lock(Path)}. */
    static void unlock(FileLock lock) {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel is closed next, which releases the lock anyway
        }
        closeQuietly(lock.channel());
    }

    /** Makes a newly created file's directory entry durable (fsync of the directory). Best effort. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms cannot open a directory; SQLite's own syncs still cover the data
        }
    }

    private static SqliteLogStorageException alreadyOpen(Path dbFile, Throwable cause) {
        return new SqliteLogStorageException(dbFile + " is already open by another SqliteLog (in this or another"
                + " process); close it first: two writers would corrupt the node's Raft state", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
