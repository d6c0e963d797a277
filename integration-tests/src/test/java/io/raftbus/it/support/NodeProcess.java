package io.raftbus.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.raftbus.engine.testing.TestDeadlines;

/**
 * A {@link NodeProcessMain} child JVM on the test class path, whose latest status line is tracked. {@link #kill()}
 * sends SIGKILL ({@link Process#destroyForcibly()} on Unix): no shutdown hook, no flush, no goodbye.
 */
public final class NodeProcess implements AutoCloseable {

    /** Parsed {@code STATUS} line. */
    public record Status(String role, long term, long commit, long applied, String digest) {
    }

    private final Process process;
    private volatile Status status;
    private volatile boolean ready;

    private NodeProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "node-process-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Launches the child and waits until it reports READY. */
    public static NodeProcess launch(String bootstrap, String clusterId, String nodeId, Set<String> members,
            Path dbFile, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(testClassPath());
        command.add(NodeProcessMain.class.getName());
        command.add(bootstrap);
        command.add(clusterId);
        command.add(nodeId);
        command.add(String.join(",", members));
        command.add(dbFile.toString());
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            NodeProcess node = new NodeProcess(p);
            Await.until("child node " + nodeId + " to start", TestDeadlines.seconds(120),
                    () -> node.ready || !p.isAlive(), () -> "see " + logFile);
            if (!p.isAlive()) {
                throw new IllegalStateException("child node " + nodeId + " exited with " + p.exitValue()
                        + "; see " + logFile);
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch a child JVM", e);
        }
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("READY")) {
                    ready = true;
                } else if (line.startsWith("STATUS ")) {
                    String[] f = line.split(" ");
                    status = new Status(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                            f[5]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process died; the status stays at its last value
        }
    }

    /** The latest status line, or null before the first. */
    public Status status() {
        return status;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
