package io.raftbus.it.linearizability;

import java.util.List;
import java.util.Optional;

/**
 * A sequential specification for the linearizability checker: the state of a single-copy object and how each
 * operation changes it. States must implement {@code equals}/{@code hashCode} (they key the search's memo).
 *
 * @param <S> state (immutable)
 * @param <I> operation input
 * @param <O> operation output
 */
public interface Model<S, I, O> {

    /** The object's state before any operation. */
    S initialState();

    /**
     * Applies {@code input} to {@code state} if it could have produced {@code output}.
     *
     * @param output the observed output, or {@code null} when unknown: then any outcome is acceptable and the model
     *     applies the operation as the sequential object would
     * @return the next state, or empty if the sequential object could not have answered {@code output}
     */
    Optional<S> step(S state, I input, O output);

    /**
     * Splits a history into independent sub-histories checked separately (linearizability is local: a history is
     * linearizable iff each object's sub-history is). Default: no split.
     */
    default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
        return List.of(history);
    }

    /** A short description of a sub-history for failure reports (for example the key). */
    default String describePartition(List<Operation<I, O>> partition) {
        return "history";
    }
}
