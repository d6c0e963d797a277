package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.LogEntry;

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
 *   <li>Leader Completeness: a new leader's log holds every entry applied anywhere so far.</li>
 *   <li>State Machine Safety: no two nodes apply different entries at one index; committed entries are never
 *       truncated.</li>
 *   <li>Applied index: each node applies indexes consecutively, never going backwards (per incarnation).</li>
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

        long lastIndex() {
            return last;
        }

        long prefixAt(long index) {
            return prefix[(int) index];
        }
    }

    private final Map<Long, String> leaderByTerm = new HashMap<>();
    private final Map<IndexTerm, Long> prefixByIndexTerm = new HashMap<>();
    private long[] committedPrefix = new long[64];
    private long committedLength;

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
            Long seen = prefixByIndexTerm.putIfAbsent(new IndexTerm(e.index(), e.term()), h);
            if (seen != null && seen != h) {
                throw new IllegalStateException("Log Matching: " + node + " holds entry " + e.index() + "@"
                        + e.term() + " with a log prefix that differs from another node's entry "
                        + e.index() + "@" + e.term());
            }
        }
    }

    void onTruncate(String node, NodeLog log, long fromIndex) {
        if (fromIndex <= log.last && fromIndex <= committedLength
                && log.prefix[(int) fromIndex] == committedPrefix[(int) fromIndex]) {
            throw new IllegalStateException("State Machine Safety: " + node + " truncated committed entry "
                    + fromIndex + " (committed through " + committedLength + ")");
        }
        log.last = Math.min(log.last, fromIndex - 1);
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
        if (index <= committedLength) {
            if (committedPrefix[(int) index] != h) {
                throw new IllegalStateException("State Machine Safety: " + node + " applied at index " + index
                        + " an entry (or log prefix) that differs from what another node applied there");
            }
        } else if (index == committedLength + 1) {
            committedPrefix = ensure(committedPrefix, index);
            committedPrefix[(int) index] = h;
            committedLength = index;
        } else {
            throw new IllegalStateException("Apply: " + node + " applied " + index + " but only "
                    + committedLength + " entries are known committed");
        }
    }

    void onLeader(String node, long term, NodeLog log) {
        String previous = leaderByTerm.putIfAbsent(term, node);
        if (previous != null && !previous.equals(node)) {
            throw new IllegalStateException("Election Safety: " + node + " and " + previous
                    + " are both leader of term " + term);
        }
        if (log.last < committedLength || log.prefix[(int) committedLength] != committedPrefix[(int) committedLength]) {
            throw new IllegalStateException("Leader Completeness: " + node + " became leader of term " + term
                    + " without every committed entry (committed through " + committedLength + ", its log ends at "
                    + log.last + ")");
        }
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
