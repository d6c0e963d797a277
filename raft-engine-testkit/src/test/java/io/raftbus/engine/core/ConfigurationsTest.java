package io.raftbus.engine.core;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import io.raftbus.engine.spi.Membership;
import io.raftbus.engine.spi.MembershipCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configurations of a log: in force when appended, reverted on truncation, reset by a snapshot, bounded. */
class ConfigurationsTest {

    private static final Membership ABC = Membership.ofVoters(Set.of("a", "b", "c"));
    private static final Membership ABC_D = new Membership(Set.of("a", "b", "c"), Set.of("d"));
    private static final Membership ABCD = Membership.ofVoters(Set.of("a", "b", "c", "d"));

    private static LogEntry config(long index, Membership m) {
        return new LogEntry(index, 1, EntryType.CONFIG, MembershipCodec.encode(m));
    }

    @Test
    void theLatestIsInForceAndEachIndexHasItsOwn() {
        Configurations configs = new Configurations("a", 0, ABC);
        configs.appended(List.of(new LogEntry(1, 1, EntryType.NOOP, new byte[0]), config(2, ABC_D),
                new LogEntry(3, 1, EntryType.COMMAND, new byte[0]), config(4, ABCD)));
        assertEquals(ABCD, configs.latest());
        assertEquals(4, configs.latestIndex());
        assertEquals(ABC, configs.at(1));
        assertEquals(ABC_D, configs.at(3));
        assertTrue(configs.view().selfVoter());
        assertEquals(List.of("b", "c", "d"), configs.view().otherVoters());

        configs.truncatedFrom(4);
        assertEquals(ABC_D, configs.latest(), "truncating a CONFIG entry reverts to the one before");
        assertEquals(List.of("b", "c", "d"), configs.view().otherMembers(), "the learner is replicated to");
        assertEquals(List.of("b", "c"), configs.view().otherVoters(), "but not asked for votes");

        configs.forgetThrough(3);
        assertEquals(ABC_D, configs.at(3), "the one in force at the forgotten index is kept");
        assertFalse(configs.knows("x"));
        assertTrue(configs.knows("d"));
    }

    @Test
    void anInstalledSnapshotBecomesTheBase() {
        Configurations configs = new Configurations("d", 0, ABC);
        assertFalse(configs.view().selfVoter(), "d joins: not a voter of what it knows");
        configs.appended(List.of(config(5, ABC_D), config(9, ABCD)));
        configs.installed(7, ABC_D, true);
        assertEquals(ABCD, configs.latest(), "the suffix after the snapshot stays");
        configs.installed(12, ABC_D, false);
        assertEquals(ABC_D, configs.latest());
        assertEquals(12, configs.latestIndex());
    }

    @Test
    void theCodecRefusesWhatItDidNotWrite() {
        assertEquals(ABC_D, MembershipCodec.decode(MembershipCodec.encode(ABC_D)));
        byte[] bytes = MembershipCodec.encode(ABC);
        bytes[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> MembershipCodec.decode(bytes), "another version");
        byte[] truncated = java.util.Arrays.copyOf(MembershipCodec.encode(ABC), 5);
        assertThrows(IllegalArgumentException.class, () -> MembershipCodec.decode(truncated));
        byte[] trailing = java.util.Arrays.copyOf(MembershipCodec.encode(ABC), MembershipCodec.encode(ABC).length + 1);
        assertThrows(IllegalArgumentException.class, () -> MembershipCodec.decode(trailing));
    }
}
