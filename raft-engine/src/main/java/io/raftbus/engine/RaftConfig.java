package io.raftbus.engine;

/**
 * Protocol and runtime settings of a node. All nodes of a cluster should use the same values. Build with
 * {@link #builder()}; every setting has a documented default ({@link #defaults()}).
 *
 * @param electionTimeoutMinMs lower bound of the randomized election timeout
 * @param electionTimeoutMaxMs upper bound (exclusive) of the randomized election timeout
 * @param heartbeatIntervalMs how often a leader sends AppendEntries to an idle follower
 * @param preVote run a PreVote round before each election (thesis §9.6)
 * @param checkQuorum a leader that has not heard from a majority within an election timeout steps down
 * @param maxEntriesPerAppend most entries in one AppendEntries message
 * @param maxBytesPerAppend most entry bytes ({@link io.raftbus.engine.spi.LogEntry#sizeBytes()}) in one
 *                          AppendEntries message; lowered to the transport's limit when that is smaller
 * @param maxInflightAppends most AppendEntries with entries in flight per follower while pipelining
 * @param maxPendingCommands most commands accepted on a leader but not yet committed; beyond it {@code submit}
 *                           fails fast with {@link BackpressureException}
 * @param maxCommandBytes largest command accepted by {@code submit}
 * @param forwardToLeader on a follower, forward {@code submit} to the leader; if false, fail fast with
 *                        {@link NotLeaderException}
 * @param forwardTimeoutMs how long a forwarded command may wait for the leader's acknowledgement before its future
 *                         fails with {@link CommandOutcomeUnknownException} (a read: {@link ReadNotServedException});
 *                         at most {@code commandTimeoutMs}
 * @param commandTimeoutMs how long any {@code submit} or {@code read} waits for its outcome, on the leader or a
 *                         follower, counted from when the node's event loop takes the call (at once unless it is
 *                         busy): a command without an outcome by then fails with
 *                         {@link CommandOutcomeUnknownException} (it may have been appended, so it may still be
 *                         applied), a read with {@link ReadNotServedException}; an outcome decided later is dropped
 * @param tickIntervalMs how long the runtime's event loop pauses before trying again after its log failed (so a
 *                       failing log is not retried in a busy loop); otherwise the loop sleeps until the next event
 *                       or the protocol's next deadline (heartbeat, election timeout, a command's timeout), with no
 *                       fixed tick
 * @param handOverOnClose {@code RaftNode.close()} on a leader first hands leadership to an up-to-date follower
 *                        (thesis §3.10), so the cluster has a new leader within a few message delays rather than
 *                        after an election timeout; waits at most about two maximum election timeouts
 * @param snapshotEveryEntries with a snapshot store, take a snapshot once this many entries were applied since the
 *                             last one (0: never by count)
 * @param snapshotEveryBytes with a snapshot store, take a snapshot once entries of this many bytes
 *                           ({@link io.raftbus.engine.spi.LogEntry#sizeBytes()}) were applied since the last one (0:
 *                           never by size)
 * @param logTrailingEntries after a snapshot is durable, the log keeps this many entries before its index, so a
 *                           follower slightly behind still gets entries instead of a whole snapshot
 * @param snapshotChunkBytes most snapshot bytes in one InstallSnapshot message; lowered to fit the transport's
 *                           message limit
 * @param maxInflightSnapshotChunks most unacknowledged snapshot chunks per follower (flow control: a large snapshot
 *                                  never floods a follower's inbox or the leader's heap)
 * @param maxLearnerLagEntries a learner is promoted to voter only when its log is within this many entries of the
 *                             leader's last index, so a new voter does not stall commitment while it catches up
 * @param leaderAppendOverlapsSend a leader hands the AppendEntries of a new batch of commands to the transport before
 *                                 it appends the batch to its own log (Raft thesis §10.2.1), so its fsync and a
 *                                 follower's overlap; it counts itself toward commitment only once its own append
 *                                 returned. Its followers may then hold a batch its append failed to write: the
 *                                 batch's commands fail as outcome unknown (not "not appended") and the leader steps
 *                                 down. Off: the leader appends, then sends
 * @param commitNoticeDelayMs how long a follower may wait to learn that the leader's commit index moved when no
 *                            AppendEntries goes to it meanwhile: the next AppendEntries (the next command's, or the
 *                            heartbeat) carries the commit index anyway, so the leader sends an AppendEntries with only
 *                            the commit index after this delay, not at once (a follower's commit index is a matter of
 *                            liveness only). Followers waiting on it (a forwarded command accepted, a forwarded read,
 *                            a committed configuration change, a leadership transfer) are told at once. 0: at once,
 *                            for every follower, as before the option existed
 * @param completeOnEventLoop the node's event loop completes the futures of {@code submit} and {@code read} itself,
 *                            at the end of the iteration that decided their outcomes, instead of handing them to the
 *                            node's callback thread: a dependent stage ({@code whenComplete}, {@code thenApply}…)
 *                            then runs on the event loop, as MicroRaft's do on its node's thread, saving a thread
 *                            hand-off per command (see docs/PERFORMANCE.md, "Twelfth increment"). Off by default,
 *                            and only for dependents that are quick and never block: while one runs, the node
 *                            neither sends heartbeats nor counts election timeouts nor handles any other command, so
 *                            a slow one can cost the cluster its leader, and every command's
 *                            {@code commandTimeoutMs} fires late by as long as the dependents ahead of it ran (the
 *                            timeouts fire from the same loop). A dependent that blocks on a future of a node's
 *                            {@code submit} or {@code read} from the event loop (its {@code get} or {@code join})
 *                            fails at once with {@link IllegalStateException} instead of stalling the node for
 *                            good. Futures whose caller is blocked in {@code get}/{@code join} are still completed
 *                            by that caller's thread, and transfer, snapshot and membership outcomes and listeners
 *                            still reach the callback thread; when earlier work waits there, the futures go there
 *                            too, so outcomes still complete in the order decided
 */
public record RaftConfig(long electionTimeoutMinMs, long electionTimeoutMaxMs, long heartbeatIntervalMs,
                         boolean preVote, boolean checkQuorum, int maxEntriesPerAppend, long maxBytesPerAppend,
                         int maxInflightAppends, int maxPendingCommands, int maxCommandBytes,
                         boolean forwardToLeader, long forwardTimeoutMs, long commandTimeoutMs, long tickIntervalMs,
                         boolean handOverOnClose, long snapshotEveryEntries, long snapshotEveryBytes,
                         long logTrailingEntries, int snapshotChunkBytes, int maxInflightSnapshotChunks,
                         long maxLearnerLagEntries, boolean leaderAppendOverlapsSend,
                         long commitNoticeDelayMs, boolean completeOnEventLoop) {

    /**
     * Default {@link #electionTimeoutMinMs()}: 1000 ms, as etcd and KRaft use. Also the leader's CheckQuorum window,
     * so it must outlast a stall of the leader's own event loop, not only slow messages: over Kafka on a busy 2-core
     * machine a single fsync on the loop took up to 0.95 s and a GC or scheduling stall up to 0.66 s
     * (docs/PERFORMANCE.md, leadership stability), against which the former 500 ms lost its leader 17–51 times an
     * hour. A crashed leader is replaced after about this long plus a fraction of the spread.
     */
    public static final long DEFAULT_ELECTION_TIMEOUT_MIN_MS = 1000;
    /** Default {@link #electionTimeoutMaxMs()}: 2000 ms; the spread keeps split votes rare over slow hops. */
    public static final long DEFAULT_ELECTION_TIMEOUT_MAX_MS = 2000;
    /** Default {@link #heartbeatIntervalMs()}: 100 ms, ten per minimum election timeout. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 100;
    /** Default {@link #maxEntriesPerAppend()}: 1024. */
    public static final int DEFAULT_MAX_ENTRIES_PER_APPEND = 1024;
    /** Default {@link #maxBytesPerAppend()}: 512 KiB, comfortably under Kafka's default 1 MiB message limit. */
    public static final long DEFAULT_MAX_BYTES_PER_APPEND = 512 * 1024;
    /** Default {@link #maxInflightAppends()}: 8. */
    public static final int DEFAULT_MAX_INFLIGHT_APPENDS = 8;
    /** Default {@link #maxPendingCommands()}: 10,000. */
    public static final int DEFAULT_MAX_PENDING_COMMANDS = 10_000;
    /** Default {@link #maxCommandBytes()}: 256 KiB. */
    public static final int DEFAULT_MAX_COMMAND_BYTES = 256 * 1024;
    /** Default {@link #forwardTimeoutMs()}: 5000 ms. */
    public static final long DEFAULT_FORWARD_TIMEOUT_MS = 5000;
    /** Default {@link #commandTimeoutMs()}: 10,000 ms. */
    public static final long DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
    /** Default {@link #tickIntervalMs()}: 10 ms. */
    public static final long DEFAULT_TICK_INTERVAL_MS = 10;
    /** Default {@link #snapshotEveryEntries()}: 10,000. */
    public static final long DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;
    /** Default {@link #snapshotEveryBytes()}: 64 MiB. */
    public static final long DEFAULT_SNAPSHOT_EVERY_BYTES = 64L * 1024 * 1024;
    /** Default {@link #logTrailingEntries()}: 10,000. */
    public static final long DEFAULT_LOG_TRAILING_ENTRIES = 10_000;
    /** Default {@link #snapshotChunkBytes()}: 256 KiB, a quarter of Kafka's default 1 MiB message limit. */
    public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 256 * 1024;
    /** Default {@link #maxInflightSnapshotChunks()}: 4 (1 MiB per follower with the default chunk size). */
    public static final int DEFAULT_MAX_INFLIGHT_SNAPSHOT_CHUNKS = 4;

    /** Default {@link #maxLearnerLagEntries()}: 1,000 entries (a few heartbeats' worth under load). */
    public static final long DEFAULT_MAX_LEARNER_LAG_ENTRIES = 1_000;

    /**
     * Default {@link #commitNoticeDelayMs()}: 2 ms. With commands flowing, the next command's AppendEntries (tens of
     * microseconds later) carries the commit index first; idle, a follower learns it 2 ms late instead of at once.
     */
    public static final long DEFAULT_COMMIT_NOTICE_DELAY_MS = 2;

    public RaftConfig {
        require(electionTimeoutMinMs > 0, "electionTimeoutMinMs must be > 0");
        require(electionTimeoutMaxMs > electionTimeoutMinMs, "electionTimeoutMaxMs must be > electionTimeoutMinMs");
        require(heartbeatIntervalMs > 0 && heartbeatIntervalMs < electionTimeoutMinMs,
                "heartbeatIntervalMs must be > 0 and < electionTimeoutMinMs");
        require(maxEntriesPerAppend > 0, "maxEntriesPerAppend must be > 0");
        require(maxBytesPerAppend > 0, "maxBytesPerAppend must be > 0");
        require(maxInflightAppends > 0, "maxInflightAppends must be > 0");
        require(maxPendingCommands > 0, "maxPendingCommands must be > 0");
        require(maxCommandBytes > 0, "maxCommandBytes must be > 0");
        require(forwardTimeoutMs > 0, "forwardTimeoutMs must be > 0");
        require(commandTimeoutMs >= forwardTimeoutMs, "commandTimeoutMs (the whole wait for a command's outcome) must"
                + " be >= forwardTimeoutMs (the wait for the leader's acknowledgement of a forwarded one)");
        require(tickIntervalMs > 0, "tickIntervalMs must be > 0");
        require(snapshotEveryEntries >= 0, "snapshotEveryEntries must be >= 0 (0: never by count)");
        require(snapshotEveryBytes >= 0, "snapshotEveryBytes must be >= 0 (0: never by size)");
        require(logTrailingEntries >= 0, "logTrailingEntries must be >= 0");
        require(snapshotChunkBytes > 0, "snapshotChunkBytes must be > 0");
        require(maxInflightSnapshotChunks > 0, "maxInflightSnapshotChunks must be > 0");
        require(maxLearnerLagEntries >= 0, "maxLearnerLagEntries must be >= 0");
        require(commitNoticeDelayMs >= 0, "commitNoticeDelayMs must be >= 0");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The defaults. */
    public static RaftConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.electionTimeoutMinMs = electionTimeoutMinMs;
        b.electionTimeoutMaxMs = electionTimeoutMaxMs;
        b.heartbeatIntervalMs = heartbeatIntervalMs;
        b.preVote = preVote;
        b.checkQuorum = checkQuorum;
        b.maxEntriesPerAppend = maxEntriesPerAppend;
        b.maxBytesPerAppend = maxBytesPerAppend;
        b.maxInflightAppends = maxInflightAppends;
        b.maxPendingCommands = maxPendingCommands;
        b.maxCommandBytes = maxCommandBytes;
        b.forwardToLeader = forwardToLeader;
        b.forwardTimeoutMs = forwardTimeoutMs;
        b.commandTimeoutMs = commandTimeoutMs;
        b.tickIntervalMs = tickIntervalMs;
        b.handOverOnClose = handOverOnClose;
        b.snapshotEveryEntries = snapshotEveryEntries;
        b.snapshotEveryBytes = snapshotEveryBytes;
        b.logTrailingEntries = logTrailingEntries;
        b.snapshotChunkBytes = snapshotChunkBytes;
        b.maxInflightSnapshotChunks = maxInflightSnapshotChunks;
        b.maxLearnerLagEntries = maxLearnerLagEntries;
        b.leaderAppendOverlapsSend = leaderAppendOverlapsSend;
        b.commitNoticeDelayMs = commitNoticeDelayMs;
        b.completeOnEventLoop = completeOnEventLoop;
        return b;
    }

    /** Builds a {@link RaftConfig}; unset values keep their defaults. */
    public static final class Builder {
        private long electionTimeoutMinMs = DEFAULT_ELECTION_TIMEOUT_MIN_MS;
        private long electionTimeoutMaxMs = DEFAULT_ELECTION_TIMEOUT_MAX_MS;
        private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int maxEntriesPerAppend = DEFAULT_MAX_ENTRIES_PER_APPEND;
        private long maxBytesPerAppend = DEFAULT_MAX_BYTES_PER_APPEND;
        private int maxInflightAppends = DEFAULT_MAX_INFLIGHT_APPENDS;
        private int maxPendingCommands = DEFAULT_MAX_PENDING_COMMANDS;
        private int maxCommandBytes = DEFAULT_MAX_COMMAND_BYTES;
        private boolean forwardToLeader = true;
        private long forwardTimeoutMs = DEFAULT_FORWARD_TIMEOUT_MS;
        private long commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS;
        private long tickIntervalMs = DEFAULT_TICK_INTERVAL_MS;
        private boolean handOverOnClose = true;
        private long snapshotEveryEntries = DEFAULT_SNAPSHOT_EVERY_ENTRIES;
        private long snapshotEveryBytes = DEFAULT_SNAPSHOT_EVERY_BYTES;
        private long logTrailingEntries = DEFAULT_LOG_TRAILING_ENTRIES;
        private int snapshotChunkBytes = DEFAULT_SNAPSHOT_CHUNK_BYTES;
        private int maxInflightSnapshotChunks = DEFAULT_MAX_INFLIGHT_SNAPSHOT_CHUNKS;
        private long maxLearnerLagEntries = DEFAULT_MAX_LEARNER_LAG_ENTRIES;
        private boolean leaderAppendOverlapsSend = true;
        private long commitNoticeDelayMs = DEFAULT_COMMIT_NOTICE_DELAY_MS;
        private boolean completeOnEventLoop = false;

        private Builder() {
        }

        public Builder electionTimeoutMs(long minMs, long maxMs) {
            this.electionTimeoutMinMs = minMs;
            this.electionTimeoutMaxMs = maxMs;
            return this;
        }

        public Builder heartbeatIntervalMs(long ms) {
            this.heartbeatIntervalMs = ms;
            return this;
        }

        public Builder preVote(boolean on) {
            this.preVote = on;
            return this;
        }

        public Builder checkQuorum(boolean on) {
            this.checkQuorum = on;
            return this;
        }

        public Builder maxEntriesPerAppend(int n) {
            this.maxEntriesPerAppend = n;
            return this;
        }

        public Builder maxBytesPerAppend(long bytes) {
            this.maxBytesPerAppend = bytes;
            return this;
        }

        public Builder maxInflightAppends(int n) {
            this.maxInflightAppends = n;
            return this;
        }

        public Builder maxPendingCommands(int n) {
            this.maxPendingCommands = n;
            return this;
        }

        public Builder maxCommandBytes(int bytes) {
            this.maxCommandBytes = bytes;
            return this;
        }

        public Builder forwardToLeader(boolean on) {
            this.forwardToLeader = on;
            return this;
        }

        public Builder forwardTimeoutMs(long ms) {
            this.forwardTimeoutMs = ms;
            return this;
        }

        /** See {@link RaftConfig#commandTimeoutMs()}; 10 s by default. */
        public Builder commandTimeoutMs(long ms) {
            this.commandTimeoutMs = ms;
            return this;
        }

        /** See {@link RaftConfig#tickIntervalMs()}; 10 ms by default. */
        public Builder tickIntervalMs(long ms) {
            this.tickIntervalMs = ms;
            return this;
        }

        /** See {@link RaftConfig#handOverOnClose()}; on by default. */
        public Builder handOverOnClose(boolean on) {
            this.handOverOnClose = on;
            return this;
        }

        /** See {@link RaftConfig#snapshotEveryEntries()}; 10,000 by default, 0 for never by count. */
        public Builder snapshotEveryEntries(long n) {
            this.snapshotEveryEntries = n;
            return this;
        }

        /** See {@link RaftConfig#snapshotEveryBytes()}; 64 MiB by default, 0 for never by size. */
        public Builder snapshotEveryBytes(long bytes) {
            this.snapshotEveryBytes = bytes;
            return this;
        }

        /** See {@link RaftConfig#logTrailingEntries()}; 10,000 by default. */
        public Builder logTrailingEntries(long n) {
            this.logTrailingEntries = n;
            return this;
        }

        /** See {@link RaftConfig#snapshotChunkBytes()}; 256 KiB by default. */
        public Builder snapshotChunkBytes(int bytes) {
            this.snapshotChunkBytes = bytes;
            return this;
        }

        /** See {@link RaftConfig#maxInflightSnapshotChunks()}; 4 by default. */
        public Builder maxInflightSnapshotChunks(int n) {
            this.maxInflightSnapshotChunks = n;
            return this;
        }

        /** See {@link RaftConfig#maxLearnerLagEntries()}; 1,000 by default. */
        public Builder maxLearnerLagEntries(long n) {
            this.maxLearnerLagEntries = n;
            return this;
        }

        /** See {@link RaftConfig#leaderAppendOverlapsSend()}; on by default. */
        public Builder leaderAppendOverlapsSend(boolean on) {
            this.leaderAppendOverlapsSend = on;
            return this;
        }

        /** See {@link RaftConfig#commitNoticeDelayMs()}; 2 ms by default, 0 to tell every follower at once. */
        public Builder commitNoticeDelayMs(long ms) {
            this.commitNoticeDelayMs = ms;
            return this;
        }

        /**
         * See {@link RaftConfig#completeOnEventLoop()}; off by default. On, dependent stages of submit and read futures
         * run on the node's event loop and must be quick and never block.
         */
        public Builder completeOnEventLoop(boolean on) {
            this.completeOnEventLoop = on;
            return this;
        }

        public RaftConfig build() {
            return new RaftConfig(electionTimeoutMinMs, electionTimeoutMaxMs, heartbeatIntervalMs, preVote,
                    checkQuorum, maxEntriesPerAppend, maxBytesPerAppend, maxInflightAppends, maxPendingCommands,
                    maxCommandBytes, forwardToLeader, forwardTimeoutMs, commandTimeoutMs, tickIntervalMs,
                    handOverOnClose, snapshotEveryEntries, snapshotEveryBytes, logTrailingEntries, snapshotChunkBytes,
                    maxInflightSnapshotChunks, maxLearnerLagEntries, leaderAppendOverlapsSend,
                    commitNoticeDelayMs, completeOnEventLoop);
        }
    }
}
