package io.raftbus.engine.simulation;

import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker must be able to fail: each invariant is violated on purpose. */
class InvariantCheckerTest {

    private final InvariantChecker checker = new InvariantChecker();
    private final InvariantChecker.NodeLog a = checker.newNodeLog();
    private final InvariantChecker.NodeLog b = checker.newNodeLog();

    private static LogEntry e(long index, long term, String payload) {
        return new LogEntry(index, term, EntryType.COMMAND, payload.getBytes());
    }

    @Test
    void twoLeadersInOneTermViolateElectionSafety() {
        checker.onLeader("a", 3, a);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> checker.onLeader("b", 3, b));
        assertTrue(x.getMessage().startsWith("Election Safety"), x.getMessage());
    }

    @Test
    void sameIndexAndTermWithDifferentPrefixViolatesLogMatching() {
        checker.onAppend("a", a, List.of(e(1, 1, "x"), e(2, 2, "y")));
        IllegalStateException x = assertThrows(IllegalStateException.class,
                () -> checker.onAppend("b", b, List.of(e(1, 1, "other"), e(2, 2, "y"))));
        assertTrue(x.getMessage().startsWith("Log Matching"), x.getMessage());
    }

    @Test
    void differentEntriesAppliedAtOneIndexViolateStateMachineSafety() {
        checker.onAppend("a", a, List.of(e(1, 1, "x")));
        checker.onAppend("b", b, List.of(e(1, 2, "y")));
        checker.onApply("a", a, 1, 0);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> checker.onApply("b", b, 1, 0));
        assertTrue(x.getMessage().startsWith("State Machine Safety"), x.getMessage());
    }

    @Test
    void truncatingACommittedEntryIsCaught() {
        checker.onAppend("a", a, List.of(e(1, 1, "x"), e(2, 1, "y")));
        checker.onApply("a", a, 1, 0);
        assertDoesNotThrow(() -> checker.onTruncate("a", a, 2));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> checker.onTruncate("a", a, 1));
        assertTrue(x.getMessage().contains("truncated committed entry"), x.getMessage());
    }

    @Test
    void aNodeThatDidNotApplyACommittedEntryMayLoseItsCopy() {
        // b holds entry 2, committed on a's side; a deposed leader's delayed AppendEntries of b's older term replaces
        // it: legitimate, since b never applied it and the majority that committed it keeps it
        checker.onAppend("a", a, List.of(e(1, 1, "x"), e(2, 1, "y")));
        checker.onAppend("b", b, List.of(e(1, 1, "x"), e(2, 1, "y")));
        checker.onApply("a", a, 1, 0);
        checker.onApply("a", a, 2, 1);
        checker.onApply("b", b, 1, 0);
        assertDoesNotThrow(() -> checker.onTruncate("b", b, 2));
        assertThrows(IllegalStateException.class, () -> checker.onTruncate("b", b, 1));
    }

    @Test
    void leaderWithoutACommittedEntryViolatesLeaderCompleteness() {
        checker.onAppend("a", a, List.of(e(1, 1, "x")));
        checker.onApply("a", a, 1, 0);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> checker.onLeader("b", 2, b));
        assertTrue(x.getMessage().startsWith("Leader Completeness"), x.getMessage());
    }

    @Test
    void aLeaderOfAnOlderTermElectedLateNeedNotHoldWhatANewerTermCommitted() {
        checker.onAppend("a", a, List.of(e(1, 3, "x")));
        checker.onTerm(3);
        checker.onLeader("a", 3, a);
        checker.onApply("a", a, 1, 0);
        // b's term-2 election completes late (a delayed vote): legitimate, it can commit nothing
        assertDoesNotThrow(() -> checker.onLeader("b", 2, b));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> checker.onLeader("b", 4, b));
        assertTrue(x.getMessage().startsWith("Leader Completeness"), x.getMessage());
    }

    @Test
    void appliedIndexNeverGoesBackwards() {
        checker.onAppend("a", a, List.of(e(1, 1, "x"), e(2, 1, "y")));
        checker.onApply("a", a, 1, 0);
        checker.onApply("a", a, 2, 1);
        assertThrows(IllegalStateException.class, () -> checker.onApply("a", a, 1, 2));
    }

    @Test
    void differentStatesAtOneIndexViolateTheStateDigest() {
        checker.onDigest("a", 1, 11);
        checker.onDigest("a", 2, 22);
        assertDoesNotThrow(() -> checker.onDigest("b", 1, 11));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> checker.onDigest("b", 2, 23));
        assertTrue(x.getMessage().startsWith("State digest"), x.getMessage());
    }

    @Test
    void restoringASnapshotWithAnotherStateOrBeyondEveryAppliedStateIsCaught() {
        checker.onDigest("a", 1, 11);
        assertDoesNotThrow(() -> checker.onRestore("b", b, 1, 11));
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> checker.onRestore("b", b, 1, 12));
        assertTrue(other.getMessage().startsWith("State digest"), other.getMessage());
        IllegalStateException beyond = assertThrows(IllegalStateException.class, () -> checker.onRestore("b", b, 2, 22));
        assertTrue(beyond.getMessage().startsWith("Snapshot"), beyond.getMessage());
    }

    @Test
    void aLogResetToASnapshotTakesTheCommittedPrefixAndNothingBeyondIt() {
        checker.onAppend("a", a, List.of(e(1, 1, "x"), e(2, 1, "y")));
        checker.onApply("a", a, 1, 0);
        checker.onApply("a", a, 2, 1);
        IllegalStateException beyond = assertThrows(IllegalStateException.class,
                () -> checker.onInstallSnapshot("b", b, 3, 3));
        assertTrue(beyond.getMessage().startsWith("Snapshot"), beyond.getMessage());
        checker.onInstallSnapshot("b", b, 2, 2);
        // b continues after the snapshot with the same prefix as a: Log Matching holds for entry 3
        checker.onAppend("a", a, List.of(e(3, 2, "z")));
        assertDoesNotThrow(() -> checker.onAppend("b", b, List.of(e(3, 2, "z"))));
        assertDoesNotThrow(() -> checker.onApply("b", b, 3, 2));
    }
}
