package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks Raft's safety properties incrementally, as the simulation observes log writes, applies and role changes.
 * Each log prefix is summarized by a chained 64-bit hash, so every check costs O(1) per entry:
 * <ul>
 *   <li>Election Safety: at most one leader per term.</li>
 *   <li>Log Matching: two logs holding an entry with the same index and term hold the same prefix up to it.</li>
 *   <li>Leader Completeness: a leader of term T holds every entry that was applied somewhere while every term in
 *       the cluster was below T (its commit happened in an earlier term). A leader of an older term can still be
 *       elected late (a delayed vote) after a newer term committed more; it cannot commit anything, and is not
 *       required to hold those entries.</li>
 *   <li>State Machine Safety: no two nodes apply different entries at one index; no node truncates an entry it
 *       applied (in this or an earlier incarnation). A node that did not apply a committed entry may lose its copy:
 *       a deposed leader's delayed AppendEntries of the node's own, older term overwrites it legitimately, and the
 *       entry stays on the majority that committed it.</li>
 *   <li>Applied index: each node applies indexes consecutively, never going backwards (per incarnation).</li>
 *   <li>State digest: every node whose state machine has applied index i holds the same digest of its state at i,
 *       whether it applied every entry or restored a snapshot and applied the rest.</li>
 *   <li>Snapshots: a snapshot restored, or a log reset to one, covers only entries applied somewhere already, and a
 *       log that keeps entries after it holds the committed prefix up to it.</li>
 * </ul>
 * Violations are reported by throwing {@link IllegalStateException}; the simulation adds seed and trace.
 */
final class InvariantChecker {

    private record IndexTerm(long index, long term) {
    }

    /** Per-node view: prefix hashes of its current log, slot i holding the hash of entries 1..i. */
    static final class NodeLog {
        private long[] prefix = new long[64];
        private long last;
        /** The highest index the node ever applied or restored, across its incarnations. */
        private long everApplied;
        /** Indexes of the CONFIG entries in its current log after its last snapshot reset, ascending. */
        private final List<Long> configIndexes = new ArrayList<>();

        long lastIndex() {
            return last;
        }

        /** How many CONFIG entries the current log holds above {@code index}. */
        int configEntriesAbove(long index) {
            int n = 0;
            for (int i = configIndexes.size() - 1; i >= 0 && configIndexes.get(i) > index; i--) {
                n++;
            }
            return n;
        }

        long prefixAt(long index) {
            return prefix[(int) index];
        }
    }

    private final Map<Long, String> leaderByTerm = new HashMap<>();
    private final Map<IndexTerm, Long> prefixByIndexTerm = new HashMap<>();
    private long[] committedPrefix = new long[64];
    private long committedLength;
    /** Slot i: the highest term any node had reached when index i was first applied (its commit term is not higher). */
    private long[] maxTermAtCommit = new long[64];
    /** The highest term any node reached so far. */
    private long maxTerm;
    /** Slot i: the digest of the state after applying index i (first seen on any node). */
    private long[] stateDigests = new long[64];
    private long digestLength;

    NodeLog newNodeLog() {
        return new NodeLog();
    }

    void onAppend(String node, NodeLog log, List<LogEntry> entries) {
        for (LogEntry e : entries) {
            if (e.index() != log.last + 1) {
                throw new IllegalStateException("Log contiguity: " + node + " appended index " + e.index()
                        + " after " + log.last);
            }
            long h = chain(log.prefix[(int) log.last], e);
            log.prefix = ensure(log.prefix, e.index());
            log.prefix[(int) e.index()] = h;
            log.last = e.index();
            if (e.type() == EntryType.CONFIG) {
                log.configIndexes.add(e.index());
            }
            Long seen = prefixByIndexTerm.putIfAbsent(new IndexTerm(e.index(), e.term()), h);
            if (seen != null && seen != h) {
                throw new IllegalStateException("Log Matching: " + node + " holds entry " + e.index() + "@"
                        + e.term() + " with a log prefix that differs from another node's entry "
                        + e.index() + "@" + e.term());
            }
        }
    }

    void onTruncate(String node, NodeLog log, long fromIndex) {
        if (fromIndex <= log.last && fromIndex <= log.everApplied) {
            throw new IllegalStateException("State Machine Safety: " + node + " truncated committed entry "
                    + fromIndex + ", which it had applied (through " + log.everApplied + ")");
        }
        log.last = Math.min(log.last, fromIndex - 1);
        log.configIndexes.removeIf(i -> i >= fromIndex);
    }

    /** A node applies (hands out as committed) the entry at {@code index}; {@code previous} is its last applied. */
    void onApply(String node, NodeLog log, long index, long previous) {
        if (index != previous + 1) {
            throw new IllegalStateException("Applied index: " + node + " applied " + index + " after " + previous);
        }
        if (index > log.last) {
            throw new IllegalStateException("Apply: " + node + " applied " + index + " beyond its log (last "
                    + log.last + ")");
        }
        long h = log.prefix[(int) index];
        log.everApplied = Math.max(log.everApplied, index);
        if (index <= committedLength) {
            if (committedPrefix[(int) index] != h) {
                throw new IllegalStateException("State Machine Safety: " + node + " applied at index " + index
                        + " an entry (or log prefix) that differs from what another node applied there");
            }
        } else if (index == committedLength + 1) {
            committedPrefix = ensure(committedPrefix, index);
            committedPrefix[(int) index] = h;
            maxTermAtCommit = ensure(maxTermAtCommit, index);
            maxTermAtCommit[(int) index] = maxTerm;
            committedLength = index;
        } else {
            throw new IllegalStateException("Apply: " + node + " applied " + index + " but only "
                    + committedLength + " entries are known committed");
        }
    }

    /** A node's state machine, having applied {@code index}, holds a state with {@code digest}. */
    void onDigest(String node, long index, long digest) {
        if (index <= digestLength) {
            if (stateDigests[(int) index] != digest) {
                throw new IllegalStateException("State digest: " + node + " holds at index " + index + " a state whose"
                        + " digest differs from the one another node held at that index");
            }
        } else if (index == digestLength + 1) {
            stateDigests = ensure(stateDigests, index);
            stateDigests[(int) index] = digest;
            digestLength = index;
        } else {
            throw new IllegalStateException("State digest: " + node + " holds a state at index " + index
                    + " but states are known only through " + digestLength);
        }
    }

    /** A node's state machine restored a snapshot at {@code index} whose state has {@code digest}. */
    void onRestore(String node, NodeLog log, long index, long digest) {
        log.everApplied = Math.max(log.everApplied, index);
        if (index > digestLength) {
            throw new IllegalStateException("Snapshot: " + node + " restored a snapshot at index " + index
                    + ", beyond every state applied anywhere (through " + digestLength + ")");
        }
        if (stateDigests[(int) index] != digest) {
            throw new IllegalStateException("State digest: " + node + " restored a snapshot at index " + index
                    + " whose state differs from the one nodes applied through that index");
        }
    }

    /**
     * A node's log was reset to continue after a snapshot at {@code index}; {@code lastIndex} is its last index after
     * the reset ({@code index} when every entry was discarded, more when the entries after it were kept).
     */
    void onInstallSnapshot(String node, NodeLog log, long index, long lastIndex) {
        if (index > committedLength) {
            throw new IllegalStateException("Snapshot: " + node + "'s log was reset to a snapshot at index " + index
                    + ", beyond every entry applied anywhere (through " + committedLength + ")");
        }
        if (lastIndex > index) {
            if (lastIndex > log.last || log.prefix[(int) index] != committedPrefix[(int) index]) {
                throw new IllegalStateException("Snapshot: " + node + "'s log kept entries " + (index + 1) + ".."
                        + lastIndex + " after a snapshot at index " + index + " although its prefix there is not the"
                        + " committed one (its log ended at " + log.last + ")");
            }
            log.last = lastIndex;
            log.configIndexes.removeIf(i -> i <= index);
        } else {
            log.prefix = ensure(log.prefix, index);
            // the snapshot holds the committed prefix: a node that never held those entries (one that joined) holds
            // them now, as far as Leader Completeness is concerned
            System.arraycopy(committedPrefix, 1, log.prefix, 1, (int) index);
            log.last = index;
            log.configIndexes.clear();
        }
    }

    /** A node is in {@code term} now (reported before the effects of the same step are applied). */
    void onTerm(long term) {
        maxTerm = Math.max(maxTerm, term);
    }

    void onLeader(String node, long term, NodeLog log) {
        onTerm(term);
        String previous = leaderByTerm.putIfAbsent(term, node);
        if (previous != null && !previous.equals(node)) {
            throw new IllegalStateException("Election Safety: " + node + " and " + previous
                    + " are both leader of term " + term);
        }
        long required = committedBefore(term);
        if (log.last < required || log.prefix[(int) required] != committedPrefix[(int) required]) {
            throw new IllegalStateException("Leader Completeness: " + node + " became leader of term " + term
                    + " without every committed entry (committed through " + required + " in earlier terms, its log"
                    + " ends at " + log.last + ")");
        }
    }

    /** The highest index applied while every term was below {@code term} (slots are nondecreasing: binary search). */
    private long committedBefore(long term) {
        long lo = 0;
        long hi = committedLength;
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (maxTermAtCommit[(int) mid] < term) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    long committedLength() {
        return committedLength;
    }

    private static long[] ensure(long[] array, long index) {
        if (index < array.length) {
            return array;
        }
        return Arrays.copyOf(array, (int) Math.max(index + 1, array.length * 2L));
    }

    private static long chain(long previous, LogEntry e) {
        long h = previous * 0x9E3779B97F4A7C15L + e.term() * 0xC2B2AE3D27D4EB4FL + e.index();
        h ^= Arrays.hashCode(e.payload()) * 0x165667B19E3779F9L + e.type().ordinal();
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return h;
    }
}
