package io.raftbus.engine.snapshot;

import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot of a {@link FileSnapshotStore} into a temporary file (a header with size and checksum left
 * blank, then the bytes), and on {@link #commit()} fills in the header, fsyncs the file and hands it to the store to
 * rename into place. Abort (or a crash) leaves only the temporary file, which the store deletes when it next opens.
 */
final class FileSnapshotWriter implements SnapshotWriter {

    private final FileSnapshotStore store;
    private final Path temp;
    private final long index;
    private final long term;
    private final Membership membership;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final OutputStream stream;
    private long written;
    private boolean finished;

    FileSnapshotWriter(FileSnapshotStore store, Path temp, long index, long term, Membership membership)
            throws IOException {
        this.store = store;
        this.temp = temp;
        this.index = index;
        this.term = term;
        this.membership = membership;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            writeFully(ByteBuffer.wrap(SnapshotFileFormat.header(index, term, membership, 0, 0)), -1);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        this.stream = new BufferedOutputStream(new Counting(Channels.newOutputStream(channel)), 64 * 1024);
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public synchronized long bytesWritten() {
        return written;
    }

    @Override
    public synchronized SnapshotInfo commit() throws IOException {
        if (finished) {
            throw new IOException("snapshot writer for index " + index + " was already committed or aborted");
        }
        try {
            stream.flush();
            long checksum = crc.getValue();
            writeFully(ByteBuffer.wrap(SnapshotFileFormat.header(index, term, membership, written, checksum)), 0);
            channel.force(true);
            channel.close();
            SnapshotInfo info = new SnapshotInfo(index, term, membership, written, checksum);
            store.publish(this, temp, info);
            finished = true;
            return info;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover temporary file is deleted when the store next opens
        }
        store.forget(this);
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = position < 0 ? channel.write(buffer) : channel.write(buffer, at);
            at += n;
        }
    }

    /** Counts and checksums what reaches the file. */
    private final class Counting extends OutputStream {
        private final OutputStream out;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (FileSnapshotWriter.this) {
                if (finished) {
                    throw new IOException("snapshot writer for index " + index + " was committed or aborted");
                }
                out.write(b, off, len);
                crc.update(b, off, len);
                written += len;
            }
        }
    }
}
