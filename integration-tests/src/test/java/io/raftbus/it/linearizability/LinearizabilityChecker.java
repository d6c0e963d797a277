package io.raftbus.it.linearizability;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a concurrent history is linearizable with respect to a sequential {@link Model}.
 *
 * <p>The search follows Wing &amp; Gong's algorithm with Lowe's memoization, as popularised by Porcupine: the history
 * becomes a doubly linked list of call and return events in time order; the search repeatedly tries to linearize
 * an operation whose call precedes the earliest pending return (it is "minimal"), stepping the model; when it meets
 * a return event whose operation is not yet linearized it backtracks. A memo of (set of linearized operations,
 * model state) pairs prunes configurations already explored. Each partition of the history is checked on its own.
 *
 * <p>Events with equal timestamps are ordered calls first, so operations touching in time count as concurrent
 * (the permissive, never falsely failing choice).
 */
public final class LinearizabilityChecker {

    private final Duration budget;

    /** A checker that gives up with {@link CheckResult.Verdict#UNKNOWN} after {@code budget} of searching. */
    public LinearizabilityChecker(Duration budget) {
        this.budget = budget;
    }

    /** Checks {@code history} against {@code model}, one partition at a time. */
    public <S, I, O> CheckResult check(Model<S, I, O> model, List<Operation<I, O>> history) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<List<Operation<I, O>>> partitions = model.partition(history);
        boolean timedOut = false;
        for (List<Operation<I, O>> partition : partitions) {
            Search<S, I, O> search = new Search<>(model, partition, deadline);
            Boolean ok = search.run();
            if (ok == null) {
                timedOut = true;
            } else if (!ok) {
                String detail = model.describePartition(partition) + ": no linearization of " + partition.size()
                        + " operations; longest linearizable prefix (" + search.bestPrefix.size() + " ops): "
                        + search.bestPrefix.stream().map(Object::toString).collect(Collectors.joining(" -> "));
                return new CheckResult(CheckResult.Verdict.NOT_LINEARIZABLE, partitions.size(), detail, partition);
            }
        }
        return timedOut
                ? new CheckResult(CheckResult.Verdict.UNKNOWN, partitions.size(), "search budget " + budget
                        + " exhausted", List.of())
                : new CheckResult(CheckResult.Verdict.LINEARIZABLE, partitions.size(), "", List.of());
    }

    /** One call or return event in the linked list; a call points at its matching return. */
    private static final class Entry<I, O> {
        final Operation<I, O> operation;
        final int index;
        final boolean call;
        Entry<I, O> match;
        Entry<I, O> prev;
        Entry<I, O> next;

        Entry(Operation<I, O> operation, int index, boolean call) {
            this.operation = operation;
            this.index = index;
            this.call = call;
        }
    }

    private record Frame<S, I, O>(Entry<I, O> call, S stateBefore) {
    }

    private record MemoKey<S>(BitSet linearized, S state) {
    }

    private static final class Search<S, I, O> {
        private final Model<S, I, O> model;
        private final Entry<I, O> head;
        private final long deadline;
        private final int size;
        List<Operation<I, O>> bestPrefix = List.of();

        Search(Model<S, I, O> model, List<Operation<I, O>> operations, long deadline) {
            this.model = model;
            this.deadline = deadline;
            this.size = operations.size();
            this.head = buildList(operations);
        }

        /** True if linearizable, false if not, null if the deadline passed. */
        Boolean run() {
            Set<MemoKey<S>> memo = new HashSet<>();
            Deque<Frame<S, I, O>> stack = new ArrayDeque<>();
            BitSet linearized = new BitSet(size);
            S state = model.initialState();
            Entry<I, O> entry = head.next;
            long steps = 0;
            while (head.next != null) {
                if ((++steps & 0x3FF) == 0 && System.nanoTime() > deadline) {
                    return null;
                }
                if (entry.call) {
                    Optional<S> next = model.step(state, entry.operation.input(), entry.operation.output());
                    if (next.isPresent()) {
                        BitSet candidate = (BitSet) linearized.clone();
                        candidate.set(entry.index);
                        if (memo.add(new MemoKey<>(candidate, next.get()))) {
                            stack.push(new Frame<>(entry, state));
                            state = next.get();
                            linearized = candidate;
                            lift(entry);
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    if (stack.size() > bestPrefix.size()) {
                        bestPrefix = prefixOf(stack);
                    }
                    if (stack.isEmpty()) {
                        return false;
                    }
                    Frame<S, I, O> top = stack.pop();
                    state = top.stateBefore();
                    linearized = (BitSet) linearized.clone();
                    linearized.clear(top.call().index);
                    unlift(top.call());
                    entry = top.call().next;
                }
            }
            return true;
        }

        private List<Operation<I, O>> prefixOf(Deque<Frame<S, I, O>> stack) {
            List<Operation<I, O>> prefix = new ArrayList<>(stack.size());
            stack.descendingIterator().forEachRemaining(frame -> prefix.add(frame.call().operation));
            return prefix;
        }

        private static <I, O> Entry<I, O> buildList(List<Operation<I, O>> operations) {
            record Event<I, O>(long time, boolean call, Entry<I, O> entry) {
            }
            List<Event<I, O>> events = new ArrayList<>(operations.size() * 2);
            for (int i = 0; i < operations.size(); i++) {
                Operation<I, O> op = operations.get(i);
                Entry<I, O> call = new Entry<>(op, i, true);
                Entry<I, O> ret = new Entry<>(op, i, false);
                call.match = ret;
                events.add(new Event<>(op.callNanos(), true, call));
                events.add(new Event<>(op.returnNanos(), false, ret));
            }
            events.sort(Comparator.<Event<I, O>>comparingLong(Event::time).thenComparing(e -> !e.call()));
            Entry<I, O> head = new Entry<>(null, -1, false);
            Entry<I, O> tail = head;
            for (Event<I, O> event : events) {
                tail.next = event.entry();
                event.entry().prev = tail;
                tail = event.entry();
            }
            return head;
        }

        /** Removes a call and its return from the list (the operation is now linearized). */
        private static <I, O> void lift(Entry<I, O> call) {
            call.prev.next = call.next;
            if (call.next != null) {
                call.next.prev = call.prev;
            }
            Entry<I, O> ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        /** Puts a lifted call and its return back where they were (reverse order of lift). */
        private static <I, O> void unlift(Entry<I, O> call) {
            Entry<I, O> ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            if (call.next != null) {
                call.next.prev = call;
            }
        }
    }
}
