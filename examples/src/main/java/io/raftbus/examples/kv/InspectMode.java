package io.raftbus.examples.kv;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.sqlite.SqliteLogDescription;
import io.raftbus.sqlite.SqliteLogInspector;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code inspect}: describes nodes' SQLite logs ({@link SqliteLogInspector}) without starting a node; read-only and
 * safe while the node runs. Commands in the listed entries are decoded as key-value commands.
 */
final class InspectMode {

    private InspectMode() {
    }

    /** @return 0 when every log was described, 1 when none was found or one could not be read */
    static int run(Invocation.Inspect options, PrintStream out) throws IOException {
        List<Path> files = files(options);
        int status = Main.OK;
        for (Path file : files) {
            try {
                describe(SqliteLogInspector.describe(file, options.entries()), out);
            } catch (RuntimeException e) {
                out.println(file.getFileName() + ": cannot be read: " + e.getMessage());
                status = Main.FAILURE;
            }
        }
        return status;
    }

    private static List<Path> files(Invocation.Inspect options) throws IOException {
        Path dir = options.dataDir();
        if (!Files.isDirectory(dir)) {
            throw new IOException("the data directory " + dir + " does not exist or is not a directory");
        }
        if (options.nodeId() != null) {
            Path file = dir.resolve(options.nodeId() + ".db");
            if (!Files.isRegularFile(file)) {
                throw new IOException("no log for node " + options.nodeId() + " in " + dir + " (no " + file.getFileName()
                        + ")");
            }
            return List.of(file);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(p -> p.getFileName().toString().endsWith(".db")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException("no node logs (*.db) in " + dir);
        }
        return files;
    }

    /** Prints one log's description. */
    static void describe(SqliteLogDescription d, PrintStream out) {
        out.println(d.file() + ": node " + d.nodeId() + " of cluster " + d.clusterId());
        out.println("  term " + d.currentTerm() + ", voted for " + (d.votedFor() == null ? "nobody" : d.votedFor())
                + " in it");
        out.println("  entries " + (d.entryCount() == 0 ? "none" : d.firstIndex() + ".." + d.lastIndex()
                + " (" + d.entryCount() + "), last term " + d.lastTerm())
                + (d.snapshotIndex() == 0 ? "" : "; snapshot through " + d.snapshotIndex() + " (term "
                + d.snapshotTerm() + ")"));
        if (!d.membership().isEmpty()) {
            out.println("  membership " + d.membership());
        }
        out.println("  commit index: not stored (Raft keeps it in memory: a restarted node shows commit=0 until the"
                + " leader tells it; nothing is lost)");
        out.println("  applied index stored: " + d.lastApplied() + (d.lastApplied() == 0
                ? " (the key-value state is in memory and rebuilt from the log, so applied counts up from 0 after"
                + " every start)" : ""));
        if (!d.lastEntries().isEmpty()) {
            out.println("  last " + d.lastEntries().size() + (d.lastEntries().size() == 1 ? " entry:" : " entries:"));
            for (SqliteLogDescription.Entry entry : d.lastEntries()) {
                out.println("    " + entry.index() + "  term " + entry.term() + "  " + entry(entry));
            }
        }
    }

    private static String command(KvCommand command) {
        if (command instanceof KvCommand.Put put) {
            return "put " + put.key() + " " + put.value();
        }
        if (command instanceof KvCommand.Get get) {
            return "get " + get.key();
        }
        if (command instanceof KvCommand.Delete delete) {
            return "del " + delete.key();
        }
        KvCommand.Cas cas = (KvCommand.Cas) command;
        return "cas " + cas.key() + " " + cas.expected() + " " + cas.newValue();
    }

    private static String entry(SqliteLogDescription.Entry entry) {
        if (entry.type() == EntryType.NOOP) {
            return "no-op (a new leader's first entry)";
        }
        if (entry.type() != EntryType.COMMAND) {
            return entry.type() + " (" + entry.payload().length + " bytes)";
        }
        try {
            return command(KvCommand.decode(entry.payload()));
        } catch (IllegalArgumentException e) {
            return "command of " + entry.payload().length + " bytes (not a key-value command: " + e.getMessage() + ")";
        }
    }
}
