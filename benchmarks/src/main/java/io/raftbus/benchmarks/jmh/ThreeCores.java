package io.raftbus.benchmarks.jmh;

import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.Role;
import io.raftbus.engine.core.RaftCore;
import io.raftbus.engine.core.Ready;
import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.Membership;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The core-level benchmarks' cluster: three protocol cores (n1, n2, n3) in one thread on in-memory logs, the
 * messages in flight between them (the benchmark delivers them), and 100-byte commands submitted on the leader.
 */
final class ThreeCores {

    private static final String[] IDS = {"n1", "n2", "n3"};

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    /** Messages sent (in a Ready or ahead of an append) and not yet delivered. */
    final ArrayDeque<RaftMessage> inFlight = new ArrayDeque<>();
    private final byte[] command = new byte[100];
    private RaftCore leader;
    private long proposal;

    /**
     * Replaces the cores with three new ones, has n1 campaign and the others grant ({@code quiesce} delivers the
     * messages until none is left) and checks that n1 leads.
     */
    void start(RaftConfig config, Runnable quiesce) {
        cores.clear();
        inFlight.clear();
        Membership members = Membership.ofVoters(Set.of(IDS));
        SplittableRandom seeds = new SplittableRandom(42);
        for (String id : IDS) {
            RaftCore core = new RaftCore(id, "jmh", members, config, new InMemoryLog(), 0, seeds.split(), 0);
            core.earlySendSink(inFlight::add);
            cores.put(id, core);
        }
        leader = cores.get(IDS[0]);
        leader.tick(10_000); // only n1's timer expires: it campaigns, the others grant
        quiesce.run();
        if (leader.status().role() != Role.LEADER) {
            throw new IllegalStateException("n1 did not win: " + leader.status());
        }
    }

    RaftCore leader() {
        return leader;
    }

    Collection<RaftCore> all() {
        return cores.values();
    }

    /** The core a message is addressed to. */
    RaftCore receiverOf(RaftMessage message) {
        return cores.get(message.to());
    }

    /** Takes {@code core}'s Ready, again while it has committed entries to hand out, its messages put in flight. */
    void takeReadies(RaftCore core) {
        do {
            Ready ready = core.ready();
            List<RaftMessage> messages = ready.messages();
            for (int i = 0; i < messages.size(); i++) {
                inFlight.add(messages.get(i));
            }
        } while (core.hasCommittedToHandOut());
    }

    /** Submits the next command on the leader. */
    void submit() {
        leader.submit(++proposal, command);
    }
}
