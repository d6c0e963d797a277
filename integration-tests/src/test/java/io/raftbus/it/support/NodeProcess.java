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
 * sends SIGKILL ({@link Process#destroyForcibly()} on Unix): no shutdown hook, no flush, no goodbye;
 * {@link #pause()}/{@link #resume()} send SIGSTOP/SIGCONT (the whole JVM freezes, its timers included, as in a long
 * GC pause or a stalled host).
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
        return launch(bootstrap, clusterId, nodeId, members, dbFile, logFile, 0);
    }

    /** As {@link #launch(String, String, String, Set, Path, Path)}, with client sessions if the timeout is above 0. */
    public static NodeProcess launch(String bootstrap, String clusterId, String nodeId, Set<String> members,
            Path dbFile, Path logFile, long sessionIdleTimeoutMs) {
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
        if (sessionIdleTimeoutMs > 0) {
            command.add(Long.toString(sessionIdleTimeoutMs));
        }
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

    /** SIGSTOP: the process freezes until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused process runs again. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name, e);
        }
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
