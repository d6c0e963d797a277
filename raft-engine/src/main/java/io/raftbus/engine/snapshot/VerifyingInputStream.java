package io.raftbus.engine.snapshot;

import io.raftbus.engine.spi.SnapshotInfo;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * A snapshot's bytes, at most its size, checked against its CRC32C: reading past the last byte throws if the bytes
 * read do not match the snapshot's size and checksum (a file damaged after it was written), instead of reporting the
 * end of the stream. A reader that stops before the end is not checked.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final SnapshotInfo snapshot;
    private final CRC32C crc = new CRC32C();
    private long remaining;

    VerifyingInputStream(InputStream in, SnapshotInfo snapshot) {
        super(in);
        this.snapshot = snapshot;
        this.remaining = snapshot.sizeBytes();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            verify();
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("snapshot " + snapshot + " is truncated: " + remaining + " bytes missing");
        }
        crc.update(b, off, n);
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (crc.getValue() != snapshot.checksum()) {
            throw new IOException("snapshot " + snapshot + " is corrupt: its bytes' CRC32C is "
                    + Long.toHexString(crc.getValue()) + ", not " + Long.toHexString(snapshot.checksum()));
        }
    }
}
