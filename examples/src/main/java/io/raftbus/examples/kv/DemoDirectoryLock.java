package io.raftbus.examples.kv;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a demo's {@code --data} directory ({@code DIR/demo.lock}), taken before the broker starts so
 * that a second demo on the same directory fails at once instead of after starting a broker and three nodes.
 */
final class DemoDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "demo.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DemoDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IOException naming the directory if another demo holds it, or if the lock file cannot be written */
    static DemoDirectoryLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another demo is running on " + dataDir + " (it holds " + file + "); stop it, or "
                    + "give this one another --data directory");
        }
        return new DemoDirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
