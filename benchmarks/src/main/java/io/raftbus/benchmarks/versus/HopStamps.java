package io.raftbus.benchmarks.versus;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The times ({@link System#nanoTime()}) at which the one command in flight passed each {@link Stage} on its way from
 * the caller's submit through the leader, a follower and back to the caller, written by whichever thread reaches the
 * stage (the instrumented transports, logs and state machines of {@link OneAtATimeHops}). Each stage keeps its first
 * time after the previous stage's, so a heartbeat or a second follower's answer does not move it. Only the
 * benchmark's instrumented clusters use it: the library's own path is untouched.
 */
final class HopStamps {

    /** The stages of one command, in the order it reaches them. */
    enum Stage {
        SUBMIT, LEADER_SENT_ENTRIES, FOLLOWER_APPENDED, FOLLOWER_ANSWERED, LEADER_APPLIED, DEPENDENT_RAN, CALLER_WOKE
    }

    private static final Stage[] STAGES = Stage.values();

    private final AtomicLongArray at = new AtomicLongArray(STAGES.length);
    private final boolean followerAppendStamped;
    private volatile String leaderId;

    /** @param followerAppendStamped whether a follower's append is stamped (raftbus's log; MicroRaft's has none) */
    HopStamps(boolean followerAppendStamped) {
        this.followerAppendStamped = followerAppendStamped;
    }

    void leader(String id) {
        leaderId = id;
    }

    boolean isLeader(String id) {
        return id.equals(leaderId);
    }

    /** Starts a new command: clears every stage and stamps its submit. */
    void submit() {
        for (int i = 1; i < STAGES.length; i++) {
            at.set(i, 0);
        }
        at.set(0, System.nanoTime());
    }

    /** Stamps {@code stage} now if it has no time yet and the stage before it has (a command is on its way). */
    void reached(Stage stage) {
        int i = stage.ordinal();
        int before = stage == Stage.FOLLOWER_ANSWERED && !followerAppendStamped ? i - 2 : i - 1;
        if (i > 0 && at.get(i) == 0 && at.get(before) != 0) {
            at.compareAndSet(i, 0, System.nanoTime());
        }
    }

    /**
     * The time from each stage to the next, in nanoseconds (a skipped stage, such as the follower's append for a
     * library without one, counts as reached at the next stage's time); null if the command did not reach the last.
     */
    long[] segments() {
        long[] out = new long[STAGES.length - 1];
        if (at.get(STAGES.length - 1) == 0) {
            return null;
        }
        long previous = at.get(0);
        for (int i = 1; i < STAGES.length; i++) {
            long t = at.get(i);
            if (t == 0) { // not instrumented for this library: merged with the following segment
                out[i - 1] = 0;
                continue;
            }
            out[i - 1] = t - previous;
            previous = t;
        }
        return out;
    }
}
