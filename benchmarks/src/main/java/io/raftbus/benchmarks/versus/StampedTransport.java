package io.raftbus.benchmarks.versus;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.spi.ForwardingTransport;
import io.raftbus.engine.spi.Transport;

/**
 * A raftbus transport that stamps {@link HopStamps}: the leader handing it an AppendEntries with entries, a follower
 * handing it an answer. Otherwise the transport it wraps.
 */
final class StampedTransport extends ForwardingTransport {

    private final String nodeId;
    private final HopStamps stamps;

    StampedTransport(String nodeId, Transport delegate, HopStamps stamps) {
        super(delegate);
        this.nodeId = nodeId;
        this.stamps = stamps;
    }

    @Override
    public void send(RaftMessage message) {
        if (stamps.isLeader(nodeId)) {
            if (message instanceof AppendEntriesRequest request && !request.entries().isEmpty()) {
                stamps.reached(HopStamps.Stage.LEADER_SENT_ENTRIES);
            }
        } else if (message instanceof AppendEntriesResponse) {
            stamps.reached(HopStamps.Stage.FOLLOWER_ANSWERED);
        }
        super.send(message);
    }
}
