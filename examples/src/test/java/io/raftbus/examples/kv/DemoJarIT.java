package io.raftbus.examples.kv;

import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import io.raftbus.kafka.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    /** How long a process may run, or a node take to learn its leader, before the test gives up on it. */
    private static final Duration DEADLINE = TestDeadlines.seconds(180);
    /**
     * The client's {@code --timeout}: a bound the client keeps, generous because a loaded machine may need seconds
     * to connect to Kafka and for a leader to answer. A third of it is spent on a silent member before the next.
     */
    private static final long CLIENT_TIMEOUT_SECONDS = TestDeadlines.seconds(90).toSeconds();
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
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        Path in = Files.createTempFile(workDir, "stdin", ".txt");
        Files.writeString(in, stdin);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " still running after "
                    + DEADLINE.toSeconds() + " s; stdout: " + Files.readString(out));
        }
        return new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void thePipedDemoPrintsOnlyResultsAndExitsZero(@TempDir Path workDir) throws Exception {
        Run run = run(workDir, "put a 1\nget a\ncas a 1 2\nstatus\nfrobnicate\n", "demo",
                "--timeout", String.valueOf(CLIENT_TIMEOUT_SECONDS));
        assertEquals(0, run.exit(), () -> "stderr: " + run.err());
        assertEquals(List.of("OK a = 1", "OK a = 1", "OK a = 2"), run.out().subList(0, 3), run::toString);
        List<String> status = run.out().subList(3, 6);
        assertEquals(1, status.stream().filter(l -> l.contains(" LEADER ")).count(), run::toString);
        assertTrue(run.out().get(6).startsWith("ERROR unknown command 'frobnicate'"), run::toString);
        assertEquals(7, run.out().size(), run::toString);
        assertEquals("", run.err(), "nothing logged at the default level");
    }

    @Test
    void nodesInSeparateProcessesServeAClientAndStopCleanlyOnSigterm(@TempDir Path workDir) throws Exception {
        List<Process> nodes = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            for (String id : List.of("n1", "n2", "n3")) {
                nodes.add(java(workDir, id, "node", "--id", id, "--members", "n1,n2,n3", "--bootstrap", bootstrap,
                        "--data", workDir.resolve("data").toString()));
            }
            for (String id : List.of("n1", "n2", "n3")) {
                Path out = workDir.resolve(id + ".out");
                Await.until(id + " knows a leader", () -> read(out).matches("(?s).*leader is n\\d.*"),
                        DEADLINE);
            }

            String timeout = String.valueOf(CLIENT_TIMEOUT_SECONDS);
            Run put = run(workDir, "", "client", "--bootstrap", bootstrap, "--timeout", timeout, "put", "k", "v");
            assertEquals(new Run(0, List.of("OK k = v"), ""), put);

            Process n1 = nodes.get(0);
            n1.destroy(); // SIGTERM
            assertTrue(n1.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "n1 stops on SIGTERM");
            assertTrue(read(workDir.resolve("n1.out")).contains("n1: stopped"), () -> read(workDir.resolve("n1.out")));

            // n1, tried first, is silent for a third of the timeout; then the client moves on to n2
            Run get = run(workDir, "", "client", "--bootstrap", bootstrap, "--timeout", timeout, "get", "k");
            assertEquals(new Run(0, List.of("OK k = v"), ""), get, "two of three nodes still serve");
        } finally {
            for (Process node : nodes) {
                node.destroy();
                if (!node.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    node.destroyForcibly();
                }
            }
        }
    }

    /** Starts {@code java -jar raftbus-kv.jar args} with its output in {@code <name>.out} and {@code <name>.err}. */
    private static Process java(Path workDir, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(workDir.resolve(name + ".out").toFile())
                .redirectError(workDir.resolve(name + ".err").toFile()).start();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noArgumentsPrintUsageAndExitTwo(@TempDir Path workDir) throws Exception {
        Run run = run(workDir, "");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("usage: java -jar raftbus-kv.jar"), run::toString);
    }
}
