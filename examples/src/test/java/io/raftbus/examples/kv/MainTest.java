package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    @Test
    void noArgumentsPrintUsageAndExitTwo() {
        assertEquals(Main.USAGE, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: java -jar raftbus-kv.jar"));
    }

    @Test
    void anUnknownModeOrOptionExitsTwo() {
        assertEquals(Main.USAGE, run("serve"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: unknown mode 'serve'"));
        assertEquals(Main.USAGE, run("demo", "--port", "1"));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("client --bootstrap HOST:PORT"));
    }
}
