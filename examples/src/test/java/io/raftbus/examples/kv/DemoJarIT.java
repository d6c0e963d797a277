package io.raftbus.examples.kv;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged {@code raftbus-kv.jar} run as a user runs it: {@code java -jar}, commands piped in. Runs in the
 * {@code integration-test} phase, after the jar is built (the build passes its path as {@code raftbus.kv.jar}).
 */
class DemoJarIT {

    private static final long DEADLINE_SECONDS = 120;
    private static Path jar;

    @BeforeAll
    static void findJar() {
        String path = System.getProperty("raftbus.kv.jar");
        assumeTrue(path != null, "runs after packaging, with -Draftbus.kv.jar=<path of raftbus-kv.jar>");
        jar = Path.of(path);
        assertTrue(Files.isRegularFile(jar), "the executable jar exists at " + jar);
    }

    private record Run(int exit, List<String> out, String err) {
    }

    private static Run run(Path workDir, String stdin, String... args) throws IOException, InterruptedException {
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        Path in = workDir.resolve("stdin.txt");
        Files.writeString(in, stdin);
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " still running after "
                    + DEADLINE_SECONDS + " s; stdout: " + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void thePipedDemoPrintsOnlyResultsAndExitsZero(@TempDir Path workDir) throws Exception {
        Run run = run(workDir, "put a 1\nget a\ncas a 1 2\nstatus\nfrobnicate\n", "demo");
        assertEquals(0, run.exit(), () -> "stderr: " + run.err());
        assertEquals(List.of("OK a = 1", "OK a = 1", "OK a = 2"), run.out().subList(0, 3), run::toString);
        List<String> status = run.out().subList(3, 6);
        assertEquals(1, status.stream().filter(l -> l.contains(" LEADER ")).count(), run::toString);
        assertTrue(run.out().get(6).startsWith("ERROR unknown command 'frobnicate'"), run::toString);
        assertEquals(7, run.out().size(), run::toString);
        assertEquals("", run.err(), "nothing logged at the default level");
    }

    @Test
    void noArgumentsPrintUsageAndExitTwo(@TempDir Path workDir) throws Exception {
        Run run = run(workDir, "");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("usage: java -jar raftbus-kv.jar"), run::toString);
    }
}
