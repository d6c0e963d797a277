package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotMeta;
import io.raftbus.engine.spi.StateSnapshot;
import io.raftbus.sqlite.example.LedgerCommand;
import io.raftbus.sqlite.example.LedgerStateMachine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Child process of {@link SqliteSnapshotCrashTest}: a node's storage doing everything snapshots involve, in an
 * endless loop, on a {@link SqliteLog} with a {@link LedgerStateMachine} in the same file: appending, applying,
 * new terms, truncating an unapplied suffix, taking snapshots (captured, then more entries applied, then written
 * into a directory store: temporary file, fsync, rename, fsync of the directory), compacting the log behind the
 * latest snapshot, restoring the state from it, and installing a "leader's" snapshot (the state of a second ledger,
 * kept ahead of this one) through {@link SqliteLog#installSnapshot} followed by a restore. It prints
 * {@code BEGIN <op> END} before each durable step and {@code ACK <op> END} after it, so the parent knows what was
 * acknowledged when it kills the process. Arguments: directory and random seed.
 *
 * <p>At start it does what a node's recovery does: if the state machine is behind the log's compacted prefix (a
 * crash between installing a snapshot in the log and restoring the state), it restores the latest snapshot.
 */
public final class SnapshotCrashWorkloadMain {

    static final String CLUSTER = "snap-crash";
    static final String NODE = "n1";
    static final Membership MEMBERS = new Membership(Set.of(NODE), Set.of());

    private final Path dir;
    private final Random random;
    private final PrintStream out;
    private final SqliteLog log;
    private final LedgerStateMachine ledger;
    private final SqliteLog leaderLog;
    private final LedgerStateMachine leader;
    private HardState state;

    private SnapshotCrashWorkloadMain(Path dir, long seed) {
        this.dir = dir;
        this.random = new Random(seed);
        this.out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        this.log = SqliteLog.open(dir.resolve("node.db"), CLUSTER, NODE);
        this.log.garbageBatchEntries(8); // compactions leave garbage behind for later appends, and across kills
        this.ledger = new LedgerStateMachine(log);
        // the leader's state only needs to survive a process kill: no fsyncs
        this.leaderLog = SqliteLog.open(dir.resolve("leader.db"), CLUSTER, "leader",
                SqliteLogOptions.defaults().withDurability(Durability.OFF_UNSAFE));
        this.leader = new LedgerStateMachine(leaderLog);
        this.state = log.loadHardState();
    }

    /** The command at {@code index}, the same in every term: ten accounts opened, then deposits and withdrawals. */
    static LedgerCommand command(long index) {
        String account = "a" + (index % 10);
        if (index <= 10) {
            return LedgerCommand.open(account);
        }
        return index % 3 == 0 ? LedgerCommand.withdraw(account, 1 + index % 50) : LedgerCommand.deposit(account, index);
    }

    static Path snapshotDir(Path dir) {
        return dir.resolve("snapshots");
    }

    /** The committed snapshots' indexes, highest first (files {@code <index>.snap}). */
    static List<Long> snapshots(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(snapshotDir(dir))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".snap"))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - ".snap".length())))
                    .sorted((a, b) -> Long.compare(b, a))
                    .toList();
        }
    }

    static SnapshotInfo info(Path dir, long index) throws IOException {
        return new SnapshotInfo(index, 1, MEMBERS, Files.size(snapshotDir(dir).resolve(index + ".snap")), 0);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(snapshotDir(dir));
        new SnapshotCrashWorkloadMain(dir, Long.parseLong(args[1])).run();
    }

    private void run() throws IOException {
        if (ledger.lastAppliedIndex() < log.snapshotMeta().index()) {
            restoreLatest();
        }
        while (true) {
            int dice = random.nextInt(100);
            if (state.term() == 0 || dice < 4) {
                newTerm();
            } else if (dice < 44) {
                append();
            } else if (dice < 66) {
                apply(1 + random.nextInt(30));
            } else if (dice < 71) {
                truncate();
            } else if (dice < 81) {
                takeSnapshot();
            } else if (dice < 93) {
                compact();
            } else if (dice < 97) {
                if (!snapshots(dir).isEmpty()) {
                    restoreLatest();
                }
            } else {
                installFromLeader();
            }
        }
    }

    private void newTerm() {
        HardState next = new HardState(state.term() + 1, NODE);
        step("VOTE " + next.term(), () -> log.saveHardState(next));
        state = next;
    }

    private void append() {
        long first = log.lastIndex() + 1;
        int count = 1 + random.nextInt(32);
        List<LogEntry> batch = new ArrayList<>(count);
        for (long i = first; i < first + count; i++) {
            batch.add(new LogEntry(i, state.term(), EntryType.COMMAND, command(i).encode()));
        }
        step("APPEND " + first + " " + (first + count - 1) + " " + state.term(), () -> log.append(batch));
    }

    private void apply(int max) {
        long from = ledger.lastAppliedIndex() + 1;
        long to = Math.min(log.lastIndex(), from + max - 1);
        if (to < from) {
            return;
        }
        List<LogEntry> entries = log.read(from, to + 1, Long.MAX_VALUE);
        step("APPLY " + from + " " + to, () -> {
            for (LogEntry e : entries) {
                ledger.apply(e.index(), e.payload());
            }
        });
    }

    private void truncate() {
        long floor = Math.max(ledger.lastAppliedIndex(), log.snapshotMeta().index()) + 1;
        if (log.lastIndex() < floor) {
            return;
        }
        long from = Math.max(floor, log.lastIndex() - random.nextInt(20));
        step("TRUNC " + from, () -> log.truncateSuffix(from));
    }

    private void takeSnapshot() throws IOException {
        long index = ledger.lastAppliedIndex();
        if (index == 0 || snapshots(dir).contains(index)) {
            return;
        }
        StateSnapshot capture = ledger.captureSnapshot();
        apply(1 + random.nextInt(5)); // the loop goes on applying before the snapshot is written
        step("SNAP " + index, () -> store(index, capture::writeTo));
    }

    private void compact() throws IOException {
        List<Long> snaps = snapshots(dir);
        if (snaps.isEmpty()) {
            return;
        }
        long through = Math.min(snaps.get(0), ledger.lastAppliedIndex()) - random.nextInt(10);
        through = Math.min(through, log.lastIndex());
        if (through <= log.snapshotMeta().index()) {
            return;
        }
        long term = log.termAt(through);
        long at = through;
        step("COMPACT " + at + " " + term, () -> log.compactPrefix(at, term));
    }

    private void restoreLatest() throws IOException {
        long index = snapshots(dir).get(0);
        SnapshotInfo info = info(dir, index);
        step("RESTORE " + index, () -> {
            try (InputStream in = Files.newInputStream(snapshotDir(dir).resolve(index + ".snap"))) {
                ledger.restoreSnapshot(info, in);
            }
        });
    }

    /** A snapshot from the leader at an index above what this node applied, possibly past its log's end. */
    private void installFromLeader() throws IOException {
        long target = Math.max(leader.lastAppliedIndex(), Math.max(ledger.lastAppliedIndex() + 1,
                log.lastIndex() + random.nextInt(40) - 5));
        target = Math.max(target, log.snapshotMeta().index() + 1);
        for (long i = leader.lastAppliedIndex() + 1; i <= target; i++) {
            leader.apply(i, command(i).encode());
        }
        long index = target;
        if (!snapshots(dir).contains(index)) {
            StateSnapshot capture = leader.captureSnapshot();
            step("SNAP " + index, () -> store(index, capture::writeTo));
        }
        SnapshotMeta meta = new SnapshotMeta(index, state.term());
        step("INSTALL " + index + " " + meta.term(), () -> log.installSnapshot(meta));
        restoreLatest();
    }

    /** Commits a snapshot into the directory store: temporary file, fsync, rename, fsync of the directory. */
    private void store(long index, ThrowingWriter writer) throws IOException {
        Path snaps = snapshotDir(dir);
        Path tmp = Files.createTempFile(snaps, "writing-", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            writer.writeTo(os);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, snaps.resolve(index + ".snap"), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel ch = FileChannel.open(snaps, StandardOpenOption.READ)) {
            ch.force(true);
        }
        List<Long> all = snapshots(dir);
        for (Long old : all.subList(Math.min(2, all.size()), all.size())) { // keep the latest two
            Files.deleteIfExists(snaps.resolve(old + ".snap"));
        }
    }

    @FunctionalInterface
    private interface ThrowingWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private void step(String op, Step step) {
        say("BEGIN " + op);
        try {
            step.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        say("ACK " + op);
    }

    private void say(String line) {
        out.print(line + " END\n");
        out.flush();
    }

    /** For the parent: the ledger's expected balances after applying commands 1..{@code through} once each. */
    static java.util.Map<String, Long> expectedBalances(long through) {
        java.util.Map<String, Long> balances = new java.util.TreeMap<>();
        for (long i = 1; i <= through; i++) {
            LedgerCommand c = command(i);
            OptionalLong b = balances.containsKey(c.account()) ? OptionalLong.of(balances.get(c.account()))
                    : OptionalLong.empty();
            switch (c.action()) {
                case OPEN -> balances.putIfAbsent(c.account(), 0L);
                case DEPOSIT -> b.ifPresent(v -> balances.put(c.account(), v + c.amount()));
                case WITHDRAW -> b.ifPresent(v -> {
                    if (v >= c.amount()) {
                        balances.put(c.account(), v - c.amount());
                    }
                });
                default -> throw new IllegalStateException();
            }
        }
        return balances;
    }
}
