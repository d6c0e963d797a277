package io.raftbus.engine.core;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.Role;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomized faults against RaftCore alone (the project's full simulation lives elsewhere): loss, duplication,
 * delay/reorder, symmetric and one-way partitions, crashes with restart, random configs. Safety is checked after every
 * step, liveness once the faults heal. A third of the seeds also run on logs that fail a fraction of calls with
 * LogException, which the harness swallows as the runtime does. {@code -Dcore.fuzz.seeds=N} runs more seeds,
 * {@code -Dcore.fuzz.first=S} starts at seed S.
 */
class CoreFuzzTest {

    private static final int SEEDS = Integer.getInteger("core.fuzz.seeds", 200);

    @Test
    void randomFaultsNeverBreakSafetyAndHealedClustersMakeProgress() {
        long first = Long.getLong("core.fuzz.first", 1);
        long injectedBefore = FlakyLog.INJECTED.get();
        for (long seed = first; seed < first + SEEDS; seed++) {
            try {
                new Run(seed).run();
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " failed: " + t.getMessage(), t);
            }
        }
        if (SEEDS >= 50) {
            assertTrue(FlakyLog.INJECTED.get() > injectedBefore, "some seeds run with a failing log");
        }
    }

    private record InFlight(long at, long seq, RaftMessage message) {
    }

    /** Runs one seed (for a long run outside Maven: see the class comment). */
    static void runSeed(long seed) {
        new Run(seed).run();
    }

    private static final class Run {
        final long seed;
        final SplittableRandom rnd;
        final List<String> ids = new ArrayList<>();
        final RaftConfig config;
        final Membership membership;
        final Map<String, InMemoryLog> logs = new HashMap<>();
        final Map<String, RaftCore> cores = new HashMap<>();
        final Map<String, Long> appliedIndex = new HashMap<>();
        final Map<Long, LogEntry> committed = new HashMap<>();
        /** For each committed index: the highest term any node had when the commit was first observed. */
        final Map<Long, Long> committedBy = new HashMap<>();
        final Map<Long, String> leaderOfTerm = new HashMap<>();
        final PriorityQueue<InFlight> network = new PriorityQueue<>(
                (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        final Set<String> blocked = new HashSet<>(); // "from>to"
        final Map<Long, String> proposalCommand = new HashMap<>();
        final Set<Long> resolved = new HashSet<>();
        final Set<Long> failed = new HashSet<>();
        /** Per node: proposal ids submitted to its current incarnation and not yet resolved. */
        final Map<String, Set<Long>> outstanding = new HashMap<>();
        final Set<String> appliedCommands = new HashSet<>();
        final Set<String> notCommittedCommands = new HashSet<>();
        long seq;
        long now;
        long nextProposal = 1;
        double dropRate;
        double dupRate;
        long maxDelay;
        /** Restarted nodes resume after their last applied index (as with a durable state machine) or from 0. */
        boolean durableStateMachine;
        /** Fraction of LogAPI calls that fail with LogException (0 for most seeds). */
        double logFailureRate;

        Run(long seed) {
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
            int n = rnd.nextBoolean() ? 3 : 5;
            for (int i = 0; i < n; i++) {
                ids.add("n" + i);
            }
            membership = Membership.ofVoters(new TreeSet<>(ids));
            config = RaftConfig.builder().electionTimeoutMs(150, 300).heartbeatIntervalMs(20 + rnd.nextInt(40))
                    .preVote(rnd.nextBoolean()).checkQuorum(rnd.nextBoolean())
                    .maxEntriesPerAppend(1 + rnd.nextInt(5)).maxInflightAppends(1 + rnd.nextInt(4))
                    .maxBytesPerAppend(100 + rnd.nextInt(200)).maxPendingCommands(50).build();
            dropRate = rnd.nextDouble() * 0.2;
            dupRate = rnd.nextDouble() * 0.1;
            maxDelay = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 120);
            durableStateMachine = rnd.nextBoolean();
            logFailureRate = rnd.nextInt(3) == 0 ? rnd.nextDouble() * 0.03 : 0;
            for (String id : ids) {
                logs.put(id, new InMemoryLog());
                start(id);
            }
        }

        void start(String id) {
            long lastApplied = durableStateMachine ? appliedIndex.getOrDefault(id, 0L) : 0;
            RaftCore core = null;
            while (core == null) {
                try {
                    LogAPI log = logFailureRate > 0 ? new FlakyLog(logs.get(id), rnd.split(), logFailureRate)
                            : logs.get(id);
                    core = new RaftCore(id, "fuzz", membership, config, log, lastApplied, rnd.split(), now);
                } catch (LogException e) {
                    // a restart that hit a log failure is simply tried again
                }
            }
            cores.put(id, core);
            outstanding.put(id, new HashSet<>()); // a crash loses the previous incarnation's proposals
            appliedIndex.put(id, lastApplied);
        }

        void run() {
            long faultEnd = 4_000;
            while (now < faultEnd) {
                step(true);
            }
            blocked.clear();
            dropRate = 0;
            dupRate = 0;
            maxDelay = Math.min(maxDelay, 20);
            for (String id : ids) {
                if (!cores.containsKey(id)) {
                    logs.get(id).reopen();
                    start(id);
                }
            }
            // liveness: a leader within a bound, and a fresh command commits everywhere
            long deadline = now + 3_000;
            String leader = null;
            while (now < deadline && (leader = stableLeader()) == null) {
                step(false);
            }
            if (leader == null) {
                fail("no leader within 3 s after healing");
            }
            // liveness: keep proposing on the current leader until a command is applied everywhere
            deadline = now + 4_000;
            String cmd = null;
            long pid = -1;
            while (now < deadline && !(cmd != null && appliedCommands.contains(cmd) && allCaughtUp())) {
                if (pid < 0 || resolvedAsFailure(pid)) {
                    String l = stableLeader();
                    pid = l == null ? -1 : propose(l);
                    cmd = pid < 0 ? null : proposalCommand.get(pid);
                }
                step(false);
            }
            if (cmd == null || !appliedCommands.contains(cmd)) {
                fail("command " + cmd + " proposed on healed leader " + leader + " was not applied within 4 s; "
                        + dump());
            }
            if (!allCaughtUp()) {
                fail("followers did not catch up after healing: " + dump());
            }
        }

        String dump() {
            StringBuilder sb = new StringBuilder("config " + config + " logFailureRate " + logFailureRate
                    + " applied " + appliedIndex + "\n");
            for (String id : sortedLive()) {
                sb.append(cores.get(id).status()).append(" log term ").append(logs.get(id).termAt(logs.get(id).lastIndex())).append('\n');
            }
            return sb.toString();
        }

        boolean resolvedAsFailure(long key) {
            return failed.contains(key);
        }

        boolean allCaughtUp() {
            long max = appliedIndex.values().stream().mapToLong(Long::longValue).max().orElse(0);
            return appliedIndex.values().stream().allMatch(v -> v == max);
        }

        String stableLeader() {
            String leader = null;
            long term = -1;
            for (RaftCore c : cores.values()) {
                var s = c.status();
                if (s.role() == Role.LEADER && s.term() > term) {
                    leader = s.nodeId();
                    term = s.term();
                }
            }
            return leader;
        }

        long propose(String node) {
            long pid = nextProposal++;
            String cmd = node + ":" + pid;
            try {
                proposalCommand.put(pid * 100 + ids.indexOf(node), cmd);
                cores.get(node).submit(pid, cmd.getBytes(StandardCharsets.UTF_8));
                outstanding.get(node).add(pid);
                return pid * 100 + ids.indexOf(node);
            } catch (RaftException e) {
                return -1;
            }
        }

        void step(boolean faults) {
            now += 5;
            if (faults) {
                injectFaults();
                if (rnd.nextInt(10) == 0) {
                    List<String> live = new ArrayList<>(cores.keySet());
                    live.sort(null);
                    if (!live.isEmpty()) {
                        String node = live.get(rnd.nextInt(live.size()));
                        try {
                            long pid = nextProposal++;
                            String cmd = node + ":" + pid;
                            cores.get(node).submit(pid, cmd.getBytes(StandardCharsets.UTF_8));
                            proposalCommand.put(pid * 100 + ids.indexOf(node), cmd);
                            outstanding.get(node).add(pid);
                        } catch (RaftException ignored) {
                            // not leader / backpressure: fine
                        }
                    }
                }
            }
            for (String id : sortedLive()) {
                try {
                    cores.get(id).tick(now);
                } catch (LogException e) {
                    // as the runtime does: the core is unchanged by a failed log call; carry on
                }
                collect(id);
            }
            while (!network.isEmpty() && network.peek().at <= now) {
                RaftMessage m = network.poll().message;
                RaftCore to = cores.get(m.to());
                if (to == null || blocked.contains(m.from() + ">" + m.to())) {
                    continue;
                }
                try {
                    to.receive(m);
                } catch (LogException e) {
                    // as the runtime does
                }
                collect(m.to());
            }
            checkInvariants();
        }

        List<String> sortedLive() {
            List<String> live = new ArrayList<>(cores.keySet());
            live.sort(null);
            return live;
        }

        void injectFaults() {
            int r = rnd.nextInt(1000);
            if (r < 4 && cores.size() > 1) { // crash
                List<String> live = sortedLive();
                String victim = live.get(rnd.nextInt(live.size()));
                cores.remove(victim);
                logs.get(victim).close();
            } else if (r < 12) { // restart someone down
                for (String id : ids) {
                    if (!cores.containsKey(id)) {
                        logs.get(id).reopen();
                        start(id);
                        break;
                    }
                }
            } else if (r < 16) { // partition: isolate one node (symmetric or one-way)
                String victim = ids.get(rnd.nextInt(ids.size()));
                boolean oneWay = rnd.nextBoolean();
                for (String other : ids) {
                    if (!other.equals(victim)) {
                        blocked.add(victim + ">" + other);
                        if (!oneWay) {
                            blocked.add(other + ">" + victim);
                        }
                    }
                }
            } else if (r < 18) { // split into a minority and a majority
                List<String> shuffled = new ArrayList<>(ids);
                for (int i = shuffled.size() - 1; i > 0; i--) {
                    java.util.Collections.swap(shuffled, i, rnd.nextInt(i + 1));
                }
                int minority = 1 + rnd.nextInt(ids.size() / 2);
                for (int i = 0; i < minority; i++) {
                    for (int j = minority; j < shuffled.size(); j++) {
                        blocked.add(shuffled.get(i) + ">" + shuffled.get(j));
                        blocked.add(shuffled.get(j) + ">" + shuffled.get(i));
                    }
                }
            } else if (r < 28) {
                blocked.clear();
            }
        }

        void collect(String id) {
            RaftCore core = cores.get(id);
            Ready ready;
            try {
                ready = core.ready();
            } catch (LogException e) {
                return;
            }
            for (RaftMessage m : ready.messages()) {
                if (m.to().equals(id)) {
                    fail("message to self: " + m);
                }
                if (rnd.nextDouble() < dropRate) {
                    continue;
                }
                network.add(new InFlight(now + 1 + rnd.nextLong(maxDelay), seq++, m));
                if (rnd.nextDouble() < dupRate) {
                    network.add(new InFlight(now + 1 + rnd.nextLong(maxDelay * 3), seq++, m));
                }
            }
            long idx = appliedIndex.get(id);
            for (CommittedEntry ce : ready.committed()) {
                LogEntry e = ce.entry();
                if (e.index() != idx + 1) {
                    fail(id + " applied " + e.index() + " after " + idx);
                }
                idx = e.index();
                LogEntry prior = committed.putIfAbsent(e.index(), e);
                if (prior == null) {
                    committedBy.put(e.index(), maxTerm());
                }
                if (prior != null && !prior.equals(e)) {
                    fail("state machine safety: index " + e.index() + " is " + prior + " and " + e + " on " + id);
                }
                if (e.type() == EntryType.COMMAND) {
                    String cmd = new String(e.payload(), StandardCharsets.UTF_8);
                    appliedCommands.add(cmd);
                    if (notCommittedCommands.contains(cmd)) {
                        fail(cmd + " failed as not committed but was applied");
                    }
                    for (Waiter w : ce.waiters()) {
                        if (w instanceof Waiter.Local l) {
                            long key = l.proposalId() * 100 + ids.indexOf(id);
                            String expected = proposalCommand.get(key);
                            if (!cmd.equals(expected)) {
                                fail(id + ": proposal " + l.proposalId() + " (" + expected + ") completed with " + cmd);
                            }
                            if (!resolved.add(key)) {
                                fail("proposal resolved twice: " + key);
                            }
                            outstanding.get(id).remove(l.proposalId());
                        }
                    }
                }
            }
            appliedIndex.put(id, idx);
            for (ProposalFailure f : ready.failures()) {
                long key = f.proposalId() * 100 + ids.indexOf(id);
                if (!resolved.add(key)) {
                    fail("proposal resolved twice: " + key + " " + f);
                }
                failed.add(key);
                outstanding.get(id).remove(f.proposalId());
                if (f.cause() instanceof io.raftbus.engine.CommandNotCommittedException) {
                    String cmd = proposalCommand.get(key);
                    if (appliedCommands.contains(cmd)) {
                        fail(cmd + " was applied but failed as not committed");
                    }
                    notCommittedCommands.add(cmd);
                }
            }
            for (LateAcceptance la : ready.lateAcceptances()) {
                long key = la.proposalId() * 100 + ids.indexOf(id);
                LogEntry e = committed.get(la.index());
                String cmd = new String(e.payload(), StandardCharsets.UTF_8);
                if (!cmd.equals(proposalCommand.get(key))) {
                    fail("late acceptance for " + key + " points at " + cmd);
                }
                if (!resolved.add(key)) {
                    fail("proposal resolved twice: " + key);
                }
                outstanding.get(id).remove(la.proposalId());
            }
            Set<Long> tracked = core.unresolvedProposalIds();
            for (long pid : outstanding.get(id)) {
                if (!tracked.contains(pid)) {
                    fail(id + " lost proposal " + pid + ": neither resolved nor tracked any more");
                }
            }
            var s = core.status();
            if (s.role() == Role.LEADER) {
                String prior = leaderOfTerm.putIfAbsent(s.term(), id);
                if (prior != null && !prior.equals(id)) {
                    fail("election safety: " + prior + " and " + id + " both lead term " + s.term());
                }
            }
        }

        long maxTerm() {
            long max = 0;
            for (InMemoryLog l : logs.values()) {
                boolean closed = false;
                try {
                    max = Math.max(max, l.loadHardState().term());
                } catch (IllegalStateException e) {
                    closed = true;
                }
                if (closed) {
                    max = Math.max(max, l.reopen().loadHardState().term());
                    l.close();
                }
            }
            return max;
        }

        void checkInvariants() {
            // leader completeness: every leader's log holds every committed entry
            for (RaftCore c : cores.values()) {
                var s = c.status();
                if (s.role() != Role.LEADER) {
                    continue;
                }
                InMemoryLog log = logs.get(s.nodeId());
                for (LogEntry e : committed.values()) {
                    if (s.term() <= committedBy.get(e.index())) {
                        continue; // a leader of an older term need not hold it
                    }
                    if (e.index() > log.lastIndex() || log.termAt(e.index()) != e.term()) {
                        fail("leader completeness: leader " + s.nodeId() + " of term " + s.term() + " lacks " + e);
                    }
                }
            }
            // log matching (checked on every 20th step to keep it cheap)
            if ((now / 5) % 20 == 0) {
                for (int i = 0; i < ids.size(); i++) {
                    for (int j = i + 1; j < ids.size(); j++) {
                        checkLogMatching(ids.get(i), ids.get(j));
                    }
                }
            }
        }

        void checkLogMatching(String a, String b) {
            InMemoryLog la = logs.get(a).reopen();
            InMemoryLog lb = logs.get(b).reopen();
            long last = Math.min(la.lastIndex(), lb.lastIndex());
            long agree = 0;
            for (long i = last; i >= 1; i--) {
                if (la.termAt(i) == lb.termAt(i)) {
                    agree = i;
                    break;
                }
            }
            if (agree > 0 && !la.read(1, agree + 1, Long.MAX_VALUE).equals(lb.read(1, agree + 1, Long.MAX_VALUE))) {
                fail("log matching: " + a + " and " + b + " agree on the term at " + agree + " but differ before");
            }
            if (!cores.containsKey(a)) {
                la.close();
            }
            if (!cores.containsKey(b)) {
                lb.close();
            }
        }
    }
}
