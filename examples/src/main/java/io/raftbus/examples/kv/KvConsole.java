package io.raftbus.examples.kv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The demo's read-eval-print loop. Each command prints exactly one line, except {@code status} (one line per node);
 * blank lines and {@code #} comments print nothing. Errors print an {@code ERROR} line and the loop goes on. It ends
 * at {@code quit} or at the end of input.
 */
final class KvConsole {

    static final String PROMPT = "kv> ";

    private final DemoCluster cluster;
    private final Duration commandTimeout;

    KvConsole(DemoCluster cluster, Duration commandTimeout) {
        this.cluster = cluster;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Reads and runs commands until {@code quit} or end of input.
     *
     * @param interactive whether a person is typing: then a prompt is shown before each line
     */
    void run(BufferedReader in, PrintStream out, boolean interactive) throws IOException {
        while (true) {
            if (interactive) {
                out.print(PROMPT);
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                if (interactive) {
                    out.println();
                }
                return;
            }
            Optional<ConsoleCommand> command;
            try {
                command = CommandParser.parseLine(line);
            } catch (UsageException e) {
                out.println(KvFormat.error(e.getMessage()));
                continue;
            }
            if (command.isEmpty()) {
                continue;
            }
            if (command.get() instanceof ConsoleCommand.Quit) {
                out.println("bye");
                return;
            }
            execute(command.get()).forEach(out::println);
            out.flush();
        }
    }

    /** Runs one command and returns its output lines. Never throws for a failed command: it returns an error line. */
    List<String> execute(ConsoleCommand command) {
        try {
            return runCommand(command);
        } catch (ClusterException e) {
            return List.of(KvFormat.error(e.getMessage()));
        } catch (RuntimeException e) {
            return List.of(KvFormat.error("unexpected failure: " + e));
        }
    }

    /**
     * How long {@code wait-applied}, {@code add} and {@code remove} wait: six command timeouts (30 s in the demo), room
     * for a restart's catch-up, or a new node's start and catch-up.
     */
    Duration waitTimeout() {
        return commandTimeout.multipliedBy(6);
    }

    /** {@code "; log from N"}: where the node's log now begins, when it is up. */
    private String logStart(String nodeId) {
        return cluster.status().stream().filter(v -> v.nodeId().equals(nodeId) && v.status() != null).findFirst()
                .map(v -> "; log from " + v.status().firstLogIndex()).orElse("");
    }

    private List<String> runCommand(ConsoleCommand command) {
        if (command instanceof ConsoleCommand.Kv kv) {
            byte[] encoded = kv.command().encode();
            byte[] resultBytes = kv.command() instanceof KvCommand.Get
                    ? cluster.read(encoded, commandTimeout) // linearizable without a log entry (ReadIndex)
                    : cluster.submit(encoded, commandTimeout);
            return List.of(KvFormat.result(kv.command(), KvResult.decode(resultBytes)));
        }
        if (command instanceof ConsoleCommand.Status) {
            return KvFormat.status(cluster.status());
        }
        if (command instanceof ConsoleCommand.Kill kill) {
            cluster.kill(kill.nodeId());
            return List.of("OK " + kill.nodeId() + " killed");
        }
        if (command instanceof ConsoleCommand.Stop stop) {
            return List.of("OK " + stop.nodeId() + " stopped" + cluster.stop(stop.nodeId())
                    .map(leader -> "; " + leader + " leads").orElse(""));
        }
        if (command instanceof ConsoleCommand.Restart restart) {
            cluster.restart(restart.nodeId());
            return List.of("OK " + restart.nodeId() + " restarted");
        }
        if (command instanceof ConsoleCommand.Snapshot snapshot) {
            var info = cluster.snapshot(snapshot.nodeId(), commandTimeout);
            return List.of("OK " + snapshot.nodeId() + " snapshot at index " + info.index() + " ("
                    + info.sizeBytes() + " bytes)" + logStart(snapshot.nodeId()));
        }
        if (command instanceof ConsoleCommand.WaitApplied wait) {
            var status = cluster.awaitApplied(wait.nodeId(), waitTimeout());
            return List.of("OK " + wait.nodeId() + " applied=" + status.lastApplied() + " snap="
                    + status.snapshotIndex());
        }
        if (command instanceof ConsoleCommand.Partition partition) {
            cluster.partition(partition.nodeId());
            return List.of("OK " + partition.nodeId() + " partitioned");
        }
        if (command instanceof ConsoleCommand.Heal heal) {
            cluster.heal(heal.nodeId());
            return List.of("OK " + heal.nodeId() + " healed");
        }
        if (command instanceof ConsoleCommand.Add add) {
            var voters = cluster.add(add.nodeId(), waitTimeout());
            return List.of("OK " + add.nodeId() + " is a voter; voters " + KvFormat.ids(voters));
        }
        if (command instanceof ConsoleCommand.Remove remove) {
            var removal = cluster.remove(remove.nodeId(), waitTimeout());
            String stopped = !removal.stopped() ? "" : removal.learned() ? " and stopped"
                    : " and stopped (before it heard of its removal)";
            return List.of("OK " + remove.nodeId() + " removed" + stopped + "; voters " + KvFormat.ids(removal.voters())
                    + removal.leader().map(leader -> "; " + leader + " leads").orElse(""));
        }
        if (command instanceof ConsoleCommand.Help) {
            return List.of(CommandParser.HELP);
        }
        return List.of("bye");
    }
}
