package io.raftbus.sqlite;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogEntry;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child process of {@link SqliteLogCrashTest}: writes to the log in an endless loop (append batches, new
 * term/vote, the occasional suffix truncation) and prints one line before each call ({@code BEGIN ...}) and one
 * after it returned ({@code ACK ...}), so the parent knows what was acknowledged when it kills the process.
 * Arguments: the database path and a random seed.
 */
public final class CrashWorkloadMain {

    static final String CLUSTER = "crash-cluster";
    static final String NODE = "crash-node";

    private CrashWorkloadMain() {
    }

    /** The payload of the entry at {@code index} in {@code term}: recognisable, of varying length. */
    static byte[] payload(long index, long term) {
        byte[] bytes = new byte[16 + (int) ((index * 7 + term) % 200)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (index * 31 + term * 17 + i);
        }
        return bytes;
    }

    public static void main(String[] args) {
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        SqliteLog log = SqliteLog.open(Path.of(args[0]), CLUSTER, NODE);
        HardState state = log.loadHardState();
        while (true) {
            int dice = random.nextInt(100);
            if (state.term() == 0 || dice < 10) {
                String vote = random.nextInt(5) == 0 ? null : "n" + random.nextInt(5);
                HardState next = new HardState(state.term() + 1, vote);
                String op = "VOTE " + next.term() + " " + (vote == null ? "-" : vote);
                say(out, "BEGIN " + op);
                log.saveHardState(next);
                say(out, "ACK " + op);
                state = next;
            } else if (dice < 18 && log.lastIndex() > 0) {
                long from = Math.max(1, log.lastIndex() - random.nextInt(20));
                say(out, "BEGIN TRUNC " + from);
                log.truncateSuffix(from);
                say(out, "ACK TRUNC " + from);
            } else {
                long first = log.lastIndex() + 1;
                int count = 1 + random.nextInt(64);
                List<LogEntry> batch = new ArrayList<>(count);
                for (long i = first; i < first + count; i++) {
                    batch.add(new LogEntry(i, state.term(), EntryType.COMMAND, payload(i, state.term())));
                }
                String op = "APPEND " + first + " " + (first + count - 1) + " " + state.term();
                say(out, "BEGIN " + op);
                log.append(batch);
                say(out, "ACK " + op);
            }
        }
    }

    private static void say(PrintStream out, String line) {
        out.print(line + " END\n");
        out.flush();
    }
}
