package io.raftbus.it.linearizability;

/**
 * One client operation in a recorded history: what was asked, what came back, and when (monotonic nanoseconds).
 *
 * <p>An operation whose outcome is unknown (timed out, connection lost, node closed) has a {@code null} output and
 * {@link #PENDING} as return time: it may have taken effect at any point after its call, or never.
 *
 * @param id unique id within the history
 * @param clientId the client (process) that issued it; one client issues one operation at a time
 * @param input the operation requested
 * @param output the observed result, or {@code null} if unknown
 * @param callNanos when the client invoked it
 * @param returnNanos when the client saw the result, or {@link #PENDING}
 */
public record Operation<I, O>(int id, int clientId, I input, O output, long callNanos, long returnNanos) {

    /** Return time of an operation whose outcome is unknown. */
    public static final long PENDING = Long.MAX_VALUE;

    public Operation {
        if (returnNanos < callNanos) {
            throw new IllegalArgumentException("Operation " + id + " returns (" + returnNanos + ") before its call ("
                    + callNanos + ")");
        }
        if (output == null && returnNanos != PENDING) {
            throw new IllegalArgumentException("Operation " + id + " has no output but a return time; "
                    + "an unknown outcome must be PENDING");
        }
    }

    /** Whether the outcome is unknown. */
    public boolean pending() {
        return returnNanos == PENDING;
    }
}
