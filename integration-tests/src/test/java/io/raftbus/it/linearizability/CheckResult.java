package io.raftbus.it.linearizability;

import java.util.List;

/**
 * Outcome of a linearizability check.
 *
 * @param verdict whether the history is linearizable
 * @param partitions how many independent sub-histories were checked
 * @param detail for a failure: which sub-history and the longest sequence of operations that could be linearized
 *     before getting stuck; empty when linearizable
 * @param failingOperations the sub-history that could not be linearized (empty when linearizable)
 */
public record CheckResult(Verdict verdict, int partitions, String detail, List<?> failingOperations) {

    /** The checker's answer. */
    public enum Verdict {
        /** A valid linearization exists for every sub-history. */
        LINEARIZABLE,
        /** Some sub-history admits no linearization. */
        NOT_LINEARIZABLE,
        /** The search ran out of its time budget before deciding. */
        UNKNOWN
    }

    public CheckResult {
        failingOperations = List.copyOf(failingOperations);
    }

    /** Whether the verdict is {@link Verdict#LINEARIZABLE}. */
    public boolean linearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }
}
