package io.raftbus.benchmarks.versus;

import io.microraft.QueryPolicy;
import io.microraft.RaftEndpoint;
import io.microraft.RaftNode;
import io.microraft.report.RaftTerm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Three MicroRaft nodes with every default (config, executor, no-op store) on an {@link InJvmMicroRaftTransport}, with
 * a {@link DiscardingMicroRaftStateMachine}. Reads are {@link QueryPolicy#LINEARIZABLE} queries.
 */
final class MicroRaftCluster implements ClusterUnderTest {

    private static final List<RaftEndpoint> MEMBERS = List.of(
            new MicroRaftEndpoint("n1"), new MicroRaftEndpoint("n2"), new MicroRaftEndpoint("n3"));

    private final InJvmMicroRaftTransport transport;
    private final List<RaftNode> nodes = new ArrayList<>();
    private volatile RaftNode leader;
    private volatile String leaderAndTerm = "none";
    private volatile String leaderId;

    private MicroRaftCluster(HopStamps stamps) {
        this.transport = stamps == null ? new InJvmMicroRaftTransport() : new InJvmMicroRaftTransport(stamps);
    }

    static MicroRaftCluster start() {
        return start(null);
    }

    /**
     * With {@code stamps} (null: none), the transport and every state machine stamp the path of the one command in
     * flight ({@link OneAtATimeHops}).
     */
    static MicroRaftCluster start(HopStamps stamps) {
        MicroRaftCluster cluster = new MicroRaftCluster(stamps);
        try {
            for (RaftEndpoint endpoint : MEMBERS) {
                RaftNode node = RaftNode.newBuilder()
                        .setGroupId("versus")
                        .setLocalEndpoint(endpoint)
                        .setInitialGroupMembers(MEMBERS)
                        .setTransport(cluster.transport)
                        .setStateMachine(new DiscardingMicroRaftStateMachine(endpoint.getId().toString(), stamps))
                        .build();
                cluster.nodes.add(node);
                cluster.transport.register(node);
            }
            cluster.nodes.forEach(RaftNode::start);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public void awaitLeader(Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RaftNode agreed = agreedLeader();
            if (agreed != null) {
                leader = agreed;
                leaderId = agreed.getLocalEndpoint().getId().toString();
                leaderAndTerm = agreed.getLocalEndpoint().getId() + " in term " + agreed.getTerm().getTerm();
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        throw new TimeoutException("MicroRaft: no leader agreed by all of " + MEMBERS + " within " + timeout
                + "; terms: " + nodes.stream().map(n -> n.getTerm().getTerm() + "/" + n.getTerm().getLeaderEndpoint())
                .toList());
    }

    private RaftNode agreedLeader() {
        List<RaftTerm> terms = nodes.stream().map(RaftNode::getTerm).toList();
        RaftEndpoint leaderEndpoint = terms.get(0).getLeaderEndpoint();
        int term = terms.get(0).getTerm();
        if (leaderEndpoint == null || terms.stream()
                .anyMatch(t -> !leaderEndpoint.equals(t.getLeaderEndpoint()) || t.getTerm() != term)) {
            return null;
        }
        return nodes.stream().filter(n -> n.getLocalEndpoint().equals(leaderEndpoint)).findFirst().orElse(null);
    }

    /** The id of the leader {@link #awaitLeader} found. */
    String leaderId() {
        return leaderId;
    }

    @Override
    public String leaderAndTerm() {
        return leaderAndTerm;
    }

    @Override
    public CompletableFuture<?> submit(byte[] command) {
        return leader.replicate(command);
    }

    @Override
    public CompletableFuture<?> read(byte[] query) {
        return leader.query(query, QueryPolicy.LINEARIZABLE, Optional.empty(), Optional.empty());
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> terminations = new ArrayList<>();
        for (RaftNode node : nodes) {
            terminations.add(node.terminate());
        }
        for (int i = 0; i < nodes.size(); i++) {
            try {
                terminations.get(i).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("terminating MicroRaft node " + nodes.get(i).getLocalEndpoint() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                transport.unregister(nodes.get(i).getLocalEndpoint());
            }
        }
    }
}
