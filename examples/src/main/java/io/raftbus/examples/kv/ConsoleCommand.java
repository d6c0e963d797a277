package io.raftbus.examples.kv;

/** One command typed at the demo console (or given to the {@code client} mode, key-value commands only). */
sealed interface ConsoleCommand {

    /** A key-value command, replicated through the log. */
    record Kv(KvCommand command) implements ConsoleCommand {
    }

    /**
     * Print one line per node: role, term, leader, commit, applied and last log index, latest snapshot's index,
     * entries held in the log, and whether it is a voter, a learner or not a member.
     */
    record Status() implements ConsoleCommand {
    }

    /** Crash a node: it stops at once, as if its process died (its log file stays). */
    record Kill(String nodeId) implements ConsoleCommand {
    }

    /** Stop a node cleanly: a leader first hands leadership to a follower (its log file stays). */
    record Stop(String nodeId) implements ConsoleCommand {
    }

    /** Have a node snapshot its state now (its log is compacted up to logTrailingEntries before it). */
    record Snapshot(String nodeId) implements ConsoleCommand {
    }

    /**
     * Wait (bounded) until a running, reachable node has applied every entry committed when the command began: how
     * a script waits for a restarted or healed node to catch up, instead of sleeping.
     */
    record WaitApplied(String nodeId) implements ConsoleCommand {
    }

    /**
     * Start a new node in join mode (empty log) and have the leader add it: a learner first, a voter once caught up.
     */
    record Add(String nodeId) implements ConsoleCommand {
    }

    /** Have the leader remove a node (the leader itself included), then stop it once it knows. */
    record Remove(String nodeId) implements ConsoleCommand {
    }

    /** Start a new node on a killed node's log file. */
    record Restart(String nodeId) implements ConsoleCommand {
    }

    /** Drop everything a node sends or receives. */
    record Partition(String nodeId) implements ConsoleCommand {
    }

    /** Undo {@link Partition}. */
    record Heal(String nodeId) implements ConsoleCommand {
    }

    /** Print the command list. */
    record Help() implements ConsoleCommand {
    }

    /** Leave the console. */
    record Quit() implements ConsoleCommand {
    }
}
