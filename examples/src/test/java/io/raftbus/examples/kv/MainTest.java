package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    private final MainRun main = new MainRun();

    private int run(String... args) {
        return main.run(args);
    }

    @Test
    void noArgumentsPrintUsageAndExitTwo() {
        assertEquals(Main.USAGE, run());
        assertTrue(main.err().contains("usage: java -jar raftbus-kv.jar"));
    }

    @Test
    void anUnknownModeOrOptionExitsTwo() {
        assertEquals(Main.USAGE, run("serve"));
        assertTrue(main.err().startsWith("error: unknown mode 'serve'"));
        assertEquals(Main.USAGE, run("demo", "--port", "1"));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(main.out().contains("client --bootstrap HOST:PORT"));
    }
}
