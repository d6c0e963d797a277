package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.HardState;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Shared helpers for the core's unit tests: prebuilt logs, fixed randomness, message shortcuts. */
final class Fixtures {

    static final String CLUSTER = TestCluster.CLUSTER;
    static final Membership ABC = Membership.ofVoters(Set.of("a", "b", "c"));

    private Fixtures() {
    }

    /** Elections 150-300 ms, heartbeat 30 ms, PreVote and CheckQuorum off unless a test turns them on. */
    static RaftConfig plain() {
        return RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(30).preVote(false)
                .checkQuorum(false).build();
    }

    /** A log holding one entry per given term, at indexes 1, 2, ..., and the given durable term. */
    static InMemoryLog logWithTerms(long hardTerm, long... terms) {
        InMemoryLog log = new InMemoryLog();
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            entries.add(entry(i + 1, terms[i]));
        }
        log.append(entries);
        log.saveHardState(new HardState(hardTerm, null));
        return log;
    }

    static LogEntry entry(long index, long term) {
        return new LogEntry(index, term, EntryType.COMMAND, ("e" + index + "t" + term).getBytes(StandardCharsets.UTF_8));
    }

    static long[] termsOf(InMemoryLog log) {
        long[] terms = new long[(int) log.lastIndex()];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = log.termAt(i + 1);
        }
        return terms;
    }

    /**
     * Election timeouts always at {@code offset} past the minimum (lets a test decide who times out first);
     * pre-campaign numbers 1, 2, 3...
     */
    static RandomGenerator fixedTimeout(long offset) {
        return new RandomGenerator() {
            private long drawn;

            /** 1, 2, 3...: distinct pre-campaign numbers. */
            @Override
            public long nextLong() {
                return ++drawn;
            }

            @Override
            public long nextLong(long origin, long bound) {
                return Math.min(bound - 1, origin + offset);
            }
        };
    }

    static RaftCore core(String id, Membership members, RaftConfig config, InMemoryLog log, long timeoutOffset) {
        return new RaftCore(id, CLUSTER, members, config, log, 0, fixedTimeout(timeoutOffset), 0);
    }

    /** Node a elected leader of term 1 (with b's vote) at time 150, on the given log. */
    static RaftCore leaderA(LogAPI log, RaftConfig config) {
        RaftCore a = new RaftCore("a", CLUSTER, ABC, config, log, 0, fixedTimeout(0), 0);
        a.tick(150);
        a.ready();
        a.receive(new VoteResponse(CLUSTER, "b", "a", a.status().term(), true));
        if (a.status().role() != Role.LEADER) {
            throw new AssertionError("a did not become leader: " + a.status());
        }
        a.ready();
        return a;
    }

    static AppendEntriesRequest append(String from, String to, long term, long prev, long prevTerm, long commit,
                                       LogEntry... entries) {
        return new AppendEntriesRequest(CLUSTER, from, to, term, prev, prevTerm, List.of(entries), commit);
    }

    @SuppressWarnings("unchecked")
    static <T extends RaftMessage> List<T> sent(Ready ready, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (RaftMessage m : ready.messages()) {
            if (type.isInstance(m)) {
                out.add((T) m);
            }
        }
        return out;
    }

    static <T extends RaftMessage> T only(Ready ready, Class<T> type) {
        List<T> found = sent(ready, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", got " + ready.messages());
        }
        return found.get(0);
    }
}
