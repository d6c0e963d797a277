package io.raftbus.it.support;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.raftbus.engine.RaftNode;
import io.raftbus.engine.RaftStatus;
import io.raftbus.kafka.KafkaTransport;
import io.raftbus.sqlite.SqliteLog;

/**
 * A cluster node as its own OS process, for crash tests: {@code NodeProcessMain <bootstrap> <cluster> <node>
 * <members,comma-separated> <db-file> [<session-idle-timeout-ms>]} (with the last argument, the node runs client
 * sessions, {@link RaftNode.Builder#sessions}). Prints {@code READY} once started, then a status line
 * {@code STATUS <role> <term> <commit> <applied> <digest-at-applied>} every 50 ms, until killed.
 */
public final class NodeProcessMain {

    private NodeProcessMain() {
    }

    public static void main(String[] args) {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: NodeProcessMain <bootstrap> <cluster> <node> <members> <db-file>"
                    + " [<session-idle-timeout-ms>]");
            System.exit(2);
        }
        String bootstrap = args[0];
        String clusterId = args[1];
        String nodeId = args[2];
        Set<String> members = new LinkedHashSet<>(Arrays.asList(args[3].split(",")));
        KvStateMachine stateMachine = new KvStateMachine();
        RaftNode node = RaftNode.builder()
                .nodeId(nodeId)
                .members(members)
                .clusterId(clusterId)
                .config(ClusterHarness.testConfig())
                .transport(new KafkaTransport(KafkaSqliteBackend.transportConfig(bootstrap, clusterId, members)))
                .log(SqliteLog.open(Path.of(args[4]), clusterId, nodeId))
                .stateMachine(stateMachine)
                .sessions(args.length == 6 ? Long.parseLong(args[5]) : 0)
                .build();
        node.start();
        System.out.println("READY");
        System.out.flush();
        while (true) {
            RaftStatus s = node.status();
            long applied = stateMachine.lastApplied();
            Long digest = stateMachine.digestAt(applied);
            System.out.println("STATUS " + s.role() + " " + s.term() + " " + s.commitIndex() + " " + applied + " "
                    + (digest == null ? "-" : digest));
            System.out.flush();
            LockSupport.parkNanos(50_000_000L);
        }
    }
}
