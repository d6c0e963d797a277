package io.raftbus.engine.core;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configurations in this node's log, of which the latest is in force (thesis §4.1: a configuration takes effect
 * when its {@link EntryType#CONFIG} entry is appended, committed or not). Below the CONFIG entries lies a base: the
 * membership of the snapshot the log continues from, or the start membership. Appending a CONFIG entry makes it the
 * latest; truncating it reverts to the one before; installing a snapshot makes its membership the base. It holds
 * every configuration above the last applied index and the one in force there ({@link #forgetThrough}), so the
 * configuration at any index from the last applied one on can be told (a snapshot carries the one at its index), and
 * a truncation, never below the commit index, can always revert.
 */
final class Configurations {

    private record Config(long index, Membership membership) {
    }

    private final String nodeId;
    /** In ascending index order; the first is the base. Never empty. */
    private final List<Config> configs = new ArrayList<>();
    /** Every node that was a member of a configuration this node held since it started (never forgotten). */
    private final Set<String> everMembers = new HashSet<>();
    private ConfigView view;

    /** Starts from {@code base}, in force from {@code baseIndex} (0: the start membership). */
    Configurations(String nodeId, long baseIndex, Membership base) {
        this.nodeId = nodeId;
        configs.add(new Config(baseIndex, base));
        this.view = new ConfigView(nodeId, base);
        remember(base);
    }

    /**
     * Whether {@code id} was a member of a configuration this node held since it started, forgotten since or not: a
     * removed node may not know it was removed and still act as a member.
     */
    boolean everMember(String id) {
        return everMembers.contains(id);
    }

    private void remember(Membership m) {
        everMembers.addAll(m.voters());
        everMembers.addAll(m.learners());
    }

    /** The configuration in force: the latest in the log. */
    ConfigView view() {
        return view;
    }

    Membership latest() {
        return view.membership();
    }

    /** Index of the latest configuration's CONFIG entry (or of the base). */
    long latestIndex() {
        return configs.get(configs.size() - 1).index();
    }

    /**
     * The configuration in force at {@code index}: that of the last CONFIG entry at or below it, or the base. Exact
     * from the last applied index on; below the oldest held (only a state machine restarted behind the latest
     * snapshot asks that far down, briefly) it is the oldest held.
     */
    Membership at(long index) {
        for (int i = configs.size() - 1; i > 0; i--) {
            if (configs.get(i).index() <= index) {
                return configs.get(i).membership();
            }
        }
        return configs.get(0).membership();
    }

    /** Whether {@code id} is a member (voter or learner) of any configuration held. */
    boolean knows(String id) {
        for (Config c : configs) {
            if (c.membership().voters().contains(id) || c.membership().learners().contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** Entries were appended durably: each CONFIG entry among them becomes the latest. */
    void appended(List<LogEntry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            if (e.type() == EntryType.CONFIG) {
                configs.add(new Config(e.index(), MembershipCodec.decode(e.payload())));
                remember(configs.get(configs.size() - 1).membership());
                view = new ConfigView(nodeId, configs.get(configs.size() - 1).membership());
            }
        }
    }

    /** Entries from {@code index} on were truncated: their configurations are gone, the one before is in force. */
    void truncatedFrom(long index) {
        boolean changed = false;
        while (configs.size() > 1 && configs.get(configs.size() - 1).index() >= index) {
            configs.remove(configs.size() - 1);
            changed = true;
        }
        if (changed) {
            view = new ConfigView(nodeId, latest(configs));
        }
    }

    /**
     * A snapshot at {@code index} with {@code membership} was installed: it becomes the base; configurations of the
     * log's suffix after it stay if {@code suffixKept}.
     */
    void installed(long index, Membership membership, boolean suffixKept) {
        configs.removeIf(c -> !suffixKept || c.index() <= index);
        configs.add(0, new Config(index, membership));
        remember(membership);
        view = new ConfigView(nodeId, latest(configs));
    }

    /** Forgets configurations superseded at or below {@code index} (keeps the one in force there). */
    void forgetThrough(long index) {
        while (configs.size() > 1 && configs.get(1).index() <= index) {
            configs.remove(0);
        }
    }

    private static Membership latest(List<Config> configs) {
        return configs.get(configs.size() - 1).membership();
    }
}
