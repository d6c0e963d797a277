package io.raftbus.engine.simulation;

import io.raftbus.engine.RaftStatus;
import io.raftbus.engine.core.Ready;
import io.raftbus.engine.message.RaftMessage;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Records what the protocol core does in a {@link RandomFaultScenario} run as a fingerprint: a SHA-256 over a
 * canonical rendering of every {@link Ready} of every node, in order, with the node, the virtual time and the status
 * after it. Two builds whose cores behave identically give identical fingerprints for every seed, so a refactor of
 * the core proves it changed nothing by recording seeds before it and checking them after.
 *
 * <p>The rendering lists record values in component order, not component names, so renaming a component keeps
 * the fingerprint; byte arrays are rendered by content and exceptions by class and message.
 *
 * <p>Usage ({@code java -cp raft-engine/target/classes:raft-engine-testkit/target/classes:slf4j-api.jar
 * io.raftbus.engine.simulation.ReadyRecorder}):
 * <ul>
 *   <li>{@code record FIRST COUNT FILE}: writes one line per seed, {@code seed readyCount sha256}, to FILE;</li>
 *   <li>{@code check FILE}: runs every seed in FILE again and prints each that differs; exits 1 if any does.</li>
 * </ul>
 * Messages a leader sends ahead of its own append ({@link ReadyObserver#onEarlySend}) are recorded too, in order.
 * The scenario runs with {@link io.raftbus.engine.RaftConfig#leaderAppendOverlapsSend()} as
 * {@code -Dsim.leaderAppendOverlapsSend} says (default: the config's default); {@code false} records what a build
 * from before the option records. Likewise {@code -Dsim.commitNoticeDelayMs=0} records what a build from before
 * {@link io.raftbus.engine.RaftConfig#commitNoticeDelayMs()} existed records.
 * Keep the recordings outside the repository: they describe one build, and the recorder is what is kept.
 */
public final class ReadyRecorder implements ReadyObserver {

    private final MessageDigest digest;
    private final StringBuilder line = new StringBuilder(256);
    private long readies;

    /** A recorder with an empty fingerprint. */
    public ReadyRecorder() {
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The fingerprint of one seed's run: {@code seed readyCount sha256}. */
    public static String fingerprint(long seed) {
        ReadyRecorder recorder = new ReadyRecorder();
        RandomFaultScenario.run(seed, null, recorder);
        return seed + " " + recorder.readies + " " + recorder.hex();
    }

    @Override
    public void onReady(String nodeId, long nowMs, Ready ready, RaftStatus status) {
        line.setLength(0);
        line.append(nodeId).append('@').append(nowMs).append(' ');
        render(ready.messages());
        render(ready.committed());
        render(ready.failures());
        render(ready.lateAcceptances());
        line.append(ready.statusChanged());
        render(ready.reads());
        render(ready.readAnswers());
        if (ready.snapshotToRestore() != null || ready.snapshotToTake() != null) {
            // only when set, so the fingerprints of runs without snapshots are those recorded before snapshots existed
            line.append(" snapshots ");
            render(ready.snapshotToRestore());
            render(ready.snapshotToTake());
        }
        line.append(" status ").append(status.role()).append(' ').append(status.term()).append(' ')
                .append(status.leaderId()).append(' ').append(status.commitIndex()).append(' ')
                .append(status.lastApplied()).append(' ').append(status.lastLogIndex()).append(' ');
        render(status.matchIndex());
        line.append('\n');
        digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
        readies++;
    }

    @Override
    public void onEarlySend(String nodeId, long nowMs, RaftMessage message) {
        line.setLength(0);
        line.append(nodeId).append('@').append(nowMs).append(" early ");
        render(message);
        line.append('\n');
        digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** How many Readys were recorded. */
    public long readies() {
        return readies;
    }

    /** The fingerprint so far, in hex (the digest is not reset: call once, at the end). */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    private void render(Object value) {
        if (value == null) {
            line.append("null");
        } else if (value instanceof byte[] bytes) {
            line.append('b').append(bytes.length).append(':').append(HexFormat.of().formatHex(bytes));
        } else if (value instanceof Throwable t) {
            line.append(t.getClass().getSimpleName()).append(':').append(t.getMessage());
        } else if (value instanceof Collection<?> items) {
            line.append('[');
            for (Object item : items) {
                render(item);
                line.append(',');
            }
            line.append(']');
        } else if (value instanceof Map<?, ?> map) {
            line.append('{');
            map.entrySet().stream().map(e -> String.valueOf(e.getKey()) + '=' + e.getValue()).sorted()
                    .forEach(e -> line.append(e).append(','));
            line.append('}');
        } else if (value instanceof Record record) {
            line.append(record.getClass().getSimpleName()).append('(');
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                render(componentValue(record, c));
                line.append(',');
            }
            line.append(')');
        } else {
            line.append(value);
        }
    }

    private static Object componentValue(Record record, RecordComponent c) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass(), e);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 4 && args[0].equals("record")) {
            long first = Long.parseLong(args[1]);
            long count = Long.parseLong(args[2]);
            StringBuilder out = new StringBuilder();
            for (long seed = first; seed < first + count; seed++) {
                out.append(fingerprint(seed)).append('\n');
            }
            Files.writeString(Path.of(args[3]), out);
            System.out.println("recorded seeds " + first + ".." + (first + count - 1) + " to " + args[3]);
            return;
        }
        if (args.length == 2 && args[0].equals("check")) {
            List<String> lines = Files.readAllLines(Path.of(args[1]));
            int differ = 0;
            for (String recorded : lines) {
                if (recorded.isBlank()) {
                    continue;
                }
                long seed = Long.parseLong(recorded.substring(0, recorded.indexOf(' ')));
                String now = fingerprint(seed);
                if (!now.equals(recorded)) {
                    differ++;
                    System.out.println("seed " + seed + " differs: recorded " + recorded + ", now " + now);
                }
            }
            System.out.println(lines.size() + " seeds checked, " + differ + " differ");
            System.exit(differ == 0 ? 0 : 1);
        }
        System.err.println("usage: ReadyRecorder record FIRST COUNT FILE | check FILE");
        System.exit(2);
    }
}
