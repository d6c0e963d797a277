package io.raftbus.examples.kv;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code node} mode's console: membership commands typed at a running node's standard input. {@code add ID}
 * and {@code remove ID} run on this node if it is the leader (the library offers membership changes on the leader
 * only, and external clients have no message for them), otherwise they name the leader to type them at;
 * {@code status} prints this node's view. Each command prints one line; the console ends at end of input (a node
 * started without a terminal, e.g. in the background, simply has none).
 */
final class NodeConsole {

    /** The one-line command list printed by {@code help}. */
    static final String HELP = "node commands: add ID (a node started with --join) | remove ID | status | help";

    private final RaftNode node;
    private final Duration timeout;

    /** @param timeout how long {@code add} and {@code remove} wait for the change to commit */
    NodeConsole(RaftNode node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
    }

    /** Reads and runs commands until end of input. */
    void run(BufferedReader in, PrintStream out) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            List<String> words;
            try {
                words = CommandParser.tokenize(line.strip());
            } catch (UsageException e) {
                words = List.of("?" + e.getMessage());
            }
            if (words.isEmpty() || words.get(0).startsWith("#")) {
                continue;
            }
            out.println(execute(words));
            out.flush();
        }
    }

    /** Runs one command; never throws for a failed one: it returns an {@code ERROR} line. */
    String execute(List<String> words) {
        String name = words.get(0).toLowerCase();
        try {
            if ((name.equals("add") || name.equals("remove")) && words.size() == 2) {
                String id = words.get(1);
                requireLeader(name + " " + id);
                if (name.equals("add")) {
                    MembershipRequest.addVoter(this::whileLeader, id, System.nanoTime() + timeout.toNanos(), timeout);
                    return "OK " + id + " is a voter; voters " + KvFormat.ids(node.status().voters());
                }
                MembershipRequest.remove(this::whileLeader, id, System.nanoTime() + timeout.toNanos(), timeout);
                return "OK " + id + " removed; voters " + KvFormat.ids(node.status().voters());
            }
            if (name.equals("status") && words.size() == 1) {
                RaftStatus s = node.status();
                return KvFormat.status(List.of(new NodeView(s.nodeId(), true, false, s, false,
                        node.sessionStats().orElse(null)))).get(0) + "; voters "
                        + KvFormat.ids(s.voters()) + "; learners " + KvFormat.ids(s.learners());
            }
            if (name.equals("help") && words.size() == 1) {
                return HELP;
            }
            return KvFormat.error("unknown command '" + String.join(" ", words) + "'; " + HELP);
        } catch (ClusterException e) {
            return KvFormat.error(e.getMessage());
        } catch (RuntimeException e) {
            return KvFormat.error("unexpected failure: " + e);
        }
    }

    private void requireLeader(String command) {
        RaftStatus status = node.status();
        if (!status.isLeader()) {
            throw new ClusterException(status.nodeId() + " is not the leader; " + (status.leaderId() == null
                    ? "no leader is known right now: try again shortly"
                    : "type " + command + " at the leader, " + status.leaderId()));
        }
    }

    /** This node while it leads. @throws ClusterException once it no longer does (the change may have been made) */
    private Optional<RaftNode> whileLeader() {
        RaftStatus status = node.status();
        if (!status.isLeader()) {
            throw new ClusterException(status.nodeId() + " is no longer the leader" + (status.leaderId() == null ? ""
                    : " (" + status.leaderId() + " is)") + "; the change may have been made: type status there");
        }
        return Optional.of(node);
    }
}
