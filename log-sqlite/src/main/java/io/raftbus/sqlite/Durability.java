package io.raftbus.sqlite;

/**
 * How hard SQLite works to make a commit survive a crash: the value of {@code PRAGMA synchronous} for the log's
 * write-ahead-log journal.
 *
 * <p>Raft's safety rests on a node never forgetting a term, a vote or an entry it acknowledged. Only {@link #FULL}
 * and {@link #EXTRA} keep that promise across power loss; the relaxed settings trade it for speed and must be
 * chosen knowingly: a log opened with one reports {@link SqliteLog#isDurable()} false, and a {@code RaftNode} with
 * peers refuses it unless built with {@code RaftNode.Builder.unsafeAllowNonDurableLog(true)} (a single-member
 * cluster needs no opt-in).
 */
public enum Durability {

    /**
     * {@code synchronous=EXTRA}: like {@link #FULL}, and additionally syncs the directory where SQLite needs it.
     * The most conservative choice.
     */
    EXTRA("EXTRA"),

    /**
     * {@code synchronous=FULL} (the default): the WAL is fsynced at every commit, so every method of
     * {@link SqliteLog} is durable against process crash and power loss when it returns.
     */
    FULL("FULL"),

    /**
     * {@code synchronous=NORMAL}. <strong>Risk:</strong> in WAL mode a commit is not fsynced; it survives a process
     * crash but the most recent commits can be lost on power loss or an operating-system crash. A Raft node that
     * forgets an acknowledged vote or entry can elect two leaders in one term or lose committed commands. Use only
     * where the whole cluster losing power at once is impossible or acceptable; a node with peers needs
     * {@code unsafeAllowNonDurableLog(true)} to run on it.
     */
    NORMAL_UNSAFE_ON_POWER_LOSS("NORMAL"),

    /**
     * {@code synchronous=OFF}. <strong>Risk:</strong> nothing is fsynced; an operating-system crash or power loss
     * can lose recent commits and may corrupt the database. For throw-away test clusters only; a node with peers
     * needs {@code unsafeAllowNonDurableLog(true)} to run on it.
     */
    OFF_UNSAFE("OFF");

    private final String pragmaValue;

    Durability(String pragmaValue) {
        this.pragmaValue = pragmaValue;
    }

    /** The value given to {@code PRAGMA synchronous}. */
    public String pragmaValue() {
        return pragmaValue;
    }

    /** Whether acknowledged writes survive power loss with this setting. */
    public boolean survivesPowerLoss() {
        return this == FULL || this == EXTRA;
    }
}
