package io.raftbus.examples.kv;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects what is written to it as lines a test can wait for, each with a deadline. */
final class LineQueueOutputStream extends OutputStream {

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(current.toString(StandardCharsets.UTF_8).replace("\r", ""));
            current.reset();
        } else {
            current.write(b);
        }
    }

    /** The next complete line, waiting at most {@code timeout}. */
    String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no output line within " + timeout);
        }
        return line;
    }

    /** Whether a complete line is waiting. */
    boolean hasLine() {
        return !lines.isEmpty();
    }
}
