package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.InstallSnapshotRequest;
import io.raftbus.engine.message.InstallSnapshotResponse;
import io.raftbus.engine.message.PreVoteRequest;
import io.raftbus.engine.message.PreVoteResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.message.VoteRequest;
import io.raftbus.engine.message.VoteResponse;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/** Seeded generator of engine messages with random field values, covering every message type. */
final class RandomMessages {

    /** One generator per message type, in a fixed order. */
    static final List<Function<Random, RaftMessage>> ALL_TYPES = List.of(
            r -> new PreVoteRequest(id(r), id(r), id(r), anyLong(r), anyLong(r), anyLong(r), anyLong(r)),
            r -> new PreVoteResponse(id(r), id(r), id(r), anyLong(r), r.nextBoolean(), anyLong(r)),
            r -> new VoteRequest(id(r), id(r), id(r), anyLong(r), anyLong(r), anyLong(r), r.nextBoolean()),
            r -> new VoteResponse(id(r), id(r), id(r), anyLong(r), r.nextBoolean()),
            r -> new AppendEntriesRequest(id(r), id(r), id(r), anyLong(r), anyLong(r), anyLong(r), entries(r),
                    anyLong(r), anyLong(r)),
            r -> new AppendEntriesResponse(id(r), id(r), id(r), anyLong(r), r.nextBoolean(), anyLong(r), anyLong(r),
                    anyLong(r), anyLong(r), anyLong(r), anyLong(r)),
            r -> new CommandRequest(id(r), id(r), id(r), anyLong(r), anyLong(r), bytes(r, 300), r.nextBoolean()),
            r -> new CommandResponse(id(r), id(r), id(r), anyLong(r), anyLong(r),
                    CommandResponse.Status.values()[r.nextInt(CommandResponse.Status.values().length)],
                    anyLong(r), anyLong(r), r.nextBoolean() ? null : id(r), r.nextBoolean() ? null : bytes(r, 300),
                    r.nextBoolean() ? null : text(r)),
            r -> new TimeoutNow(id(r), id(r), id(r), anyLong(r)),
            RandomMessages::installSnapshotRequest,
            r -> new InstallSnapshotResponse(id(r), id(r), id(r), anyLong(r), anyLong(r), anyLong(r), anyLong(r),
                    anyLong(r) & Long.MAX_VALUE, r.nextBoolean(), anyLong(r) & Long.MAX_VALUE, anyLong(r)));

    private RandomMessages() {
    }

    static RaftMessage any(Random random) {
        return ALL_TYPES.get(random.nextInt(ALL_TYPES.size())).apply(random);
    }

    /** A well-formed chunk (what a leader sends) of a snapshot with random identity, size and membership. */
    static InstallSnapshotRequest installSnapshotRequest(Random r) {
        long totalBytes = r.nextInt(4) == 0 ? 0 : 1 + (r.nextLong() & Long.MAX_VALUE) % (1L << 40);
        byte[] data = bytes(r, (int) Math.min(totalBytes, 500));
        long room = totalBytes - data.length;
        long offset = r.nextInt(3) == 0 ? room : (r.nextLong() & Long.MAX_VALUE) % (room + 1); // often the last chunk
        boolean done = offset + data.length == totalBytes;
        return new InstallSnapshotRequest(id(r), id(r), id(r), anyLong(r), positive(r), positive(r), membership(r),
                totalBytes, anyLong(r), offset, data, done, anyLong(r));
    }

    private static Membership membership(Random r) {
        Set<String> voters = new HashSet<>();
        Set<String> learners = new HashSet<>();
        int n = 1 + r.nextInt(7);
        for (int i = 0; i < n; i++) {
            voters.add("node-" + Integer.toHexString(r.nextInt()));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            String learner = "learner-" + Integer.toHexString(r.nextInt());
            learners.add(learner);
        }
        return new Membership(voters, learners);
    }

    private static long positive(Random r) {
        long value = anyLong(r) & Long.MAX_VALUE;
        return value == 0 ? 1 : value;
    }

    private static List<LogEntry> entries(Random r) {
        int n = r.nextInt(6);
        long index = 1 + (r.nextLong() & Long.MAX_VALUE) % 1_000_000_000L;
        List<LogEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long term = 1 + (r.nextLong() & Long.MAX_VALUE) % 1_000_000L;
            EntryType type = EntryType.values()[r.nextInt(EntryType.values().length)];
            entries.add(new LogEntry(index + i, term, type, type == EntryType.NOOP ? new byte[0] : bytes(r, 500)));
        }
        return entries;
    }

    /** Any long, with extremes over-represented. */
    private static long anyLong(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> 0L;
            case 1 -> Long.MAX_VALUE;
            case 2 -> Long.MIN_VALUE;
            case 3 -> r.nextInt(100);
            default -> r.nextLong();
        };
    }

    private static byte[] bytes(Random r, int maxLength) {
        byte[] bytes = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(bytes);
        return bytes;
    }

    private static String id(Random r) {
        return r.nextInt(4) == 0 ? "" : "node-" + Integer.toHexString(r.nextInt());
    }

    /** Text including non-ASCII characters. */
    private static String text(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(r.nextInt(4) == 0 ? 0x4E00 + r.nextInt(500) : 'a' + r.nextInt(26));
        }
        return sb.toString();
    }
}
