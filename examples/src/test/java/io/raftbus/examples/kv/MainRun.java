package io.raftbus.examples.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@link Main} in the test's JVM as a shell would (nothing on standard input, never exiting the JVM) and keeps
 * what it printed; the output of successive runs accumulates.
 */
final class MainRun {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs the command line {@code args}; returns its exit status. */
    int run(String... args) {
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    /** What was printed to standard output so far. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What was printed to standard error so far. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
