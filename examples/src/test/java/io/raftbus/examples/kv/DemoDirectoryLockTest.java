package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second demo on a --data directory in use fails before it starts a broker. */
class DemoDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondDemoOnTheSameDirectoryFailsAtOnceNamingIt() throws IOException {
        try (DemoDirectoryLock held = DemoDirectoryLock.acquire(dir)) {
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            IOException e = assertThrows(IOException.class, () -> DemoMode.run(new Invocation.Demo(dir),
                    new BufferedReader(new StringReader("")), sink, sink, false, Invocation.DEMO_COMMAND_TIMEOUT));
            assertTrue(e.getMessage().contains("another demo is running on " + dir), e.getMessage());
        }
        DemoDirectoryLock.acquire(dir).close(); // released: the next demo may use it
    }
}
