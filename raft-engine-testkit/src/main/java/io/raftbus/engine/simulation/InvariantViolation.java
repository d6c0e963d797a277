package io.raftbus.engine.simulation;

/**
 * A safety invariant (or the liveness check) failed in a simulation run. The message names the invariant, the
 * seed that reproduces the run, and a table of the last events before the failure.
 */
public class InvariantViolation extends AssertionError {

    private final long seed;
    private final String reason;

    public InvariantViolation(String message, long seed, String trace) {
        super(message + "\n  seed: " + seed + " (re-run the simulation with this seed to reproduce)\n"
                + "  last events (a column per node; see docs/TRACES.md):\n" + trace);
        this.seed = seed;
        this.reason = message;
    }

    /** What failed, without the seed and the table. */
    public String reason() {
        return reason;
    }

    /** The seed that reproduces the failing run. */
    public long seed() {
        return seed;
    }
}
