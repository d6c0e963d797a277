package io.raftbus.engine.core;

import io.raftbus.engine.CommandNotCommittedException;
import io.raftbus.engine.CommandOutcomeUnknownException;
import io.raftbus.engine.RaftConfig;
import io.raftbus.engine.RaftException;
import io.raftbus.engine.RetriableCommandException;
import io.raftbus.engine.message.CommandResponse;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.message.TimeoutNow;
import io.raftbus.engine.spi.EntryType;
import io.raftbus.engine.spi.LogEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.raftbus.engine.core.Fixtures.CLUSTER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link ReadyHandler}, shared by the runtime and the simulation, does with a {@link Ready}. */
class ReadyHandlerTest {

    private static final long TERM = 7;

    /** Records every effect in order; its state machine answers a command with "r" + the command. */
    private static class RecordingEffects implements ReadyEffects {
        final List<String> calls = new ArrayList<>();
        final List<RaftMessage> sent = new ArrayList<>();
        final Map<Long, byte[]> completed = new HashMap<>();
        final Map<Long, RaftException> failed = new HashMap<>();
        RuntimeException queryFailure;

        @Override
        public void send(RaftMessage message) {
            calls.add("send " + message.getClass().getSimpleName());
            sent.add(message);
        }

        @Override
        public byte[] apply(LogEntry entry) {
            calls.add("apply " + entry.index());
            return entry.type() == EntryType.COMMAND ? bytes("r" + text(entry.payload())) : bytes("ignored");
        }

        @Override
        public byte[] query(byte[] query) {
            calls.add("query " + text(query));
            if (queryFailure != null) {
                throw queryFailure;
            }
            return bytes("q" + text(query));
        }

        @Override
        public void completeCommand(long proposalId, long index, byte[] result) {
            calls.add("command #" + proposalId + " at " + index);
            completed.put(proposalId, result);
        }

        @Override
        public void completeRead(long proposalId, long readIndex, byte[] result) {
            calls.add("read #" + proposalId + " at " + readIndex);
            completed.put(proposalId, result);
        }

        @Override
        public void fail(long proposalId, RaftException cause) {
            calls.add("fail #" + proposalId);
            failed.put(proposalId, cause);
        }

        @Override
        public long term() {
            return TERM;
        }
    }

    private final RecordingEffects effects = new RecordingEffects();
    private final ReadyHandler handler = new ReadyHandler("a", CLUSTER, Fixtures.plain(), 0, effects);

    @Test
    void effectsHappenInTheRuntimesOrder() {
        Ready ready = new Ready(List.of(new TimeoutNow(CLUSTER, "a", "b", TERM)),
                CommittedEntries.of(List.of(committed(1, new Waiter.Local(10)), committed(2))),
                List.of(new ProposalFailure(11, new CommandNotCommittedException("replaced"))),
                List.of(new LateAcceptance(12, 1)), true,
                List.of(new ReadyRead(new Waiter.Local(13), 2, bytes("k"))),
                List.of(new ReadAnswer(14, 2, bytes("v"))));

        handler.handle(ready);

        assertEquals(List.of("send TimeoutNow", "apply 1", "command #10 at 1", "apply 2", "fail #11",
                "command #12 at 1", "query k", "read #13 at 2", "read #14 at 2"), effects.calls);
        assertArrayEquals(bytes("rc1"), effects.completed.get(10L));
        assertArrayEquals(bytes("rc1"), effects.completed.get(12L), "a late acceptance gets the recorded result");
        assertArrayEquals(bytes("qk"), effects.completed.get(13L));
        assertArrayEquals(bytes("v"), effects.completed.get(14L));
    }

    @Test
    void aRemoteWaiterOfACommandIsAnsweredAppliedWithTheResult() {
        handler.handle(readyOf(List.of(committed(1, new Waiter.Remote("client", 5)))));

        CommandResponse answer = onlyResponse();
        assertEquals(CommandResponse.Status.APPLIED, answer.status());
        assertEquals("client", answer.to());
        assertEquals(5, answer.requestId());
        assertEquals(1, answer.index());
        assertEquals(3, answer.entryTerm());
        assertEquals(TERM, answer.term());
        assertArrayEquals(bytes("rc1"), answer.result());
        assertNull(answer.error());
    }

    @Test
    void aNullResultIsAnsweredAsEmptyAndANoopGivesNoResult() {
        RecordingEffects nullResults = new RecordingEffects() {
            @Override
            public byte[] apply(LogEntry entry) {
                super.apply(entry);
                return null;
            }
        };
        ReadyHandler h = new ReadyHandler("a", CLUSTER, Fixtures.plain(), 0, nullResults);
        RecordingEffects recorded = nullResults;
        LogEntry noop = new LogEntry(2, 3, EntryType.NOOP, new byte[0]);

        h.handle(readyOf(List.of(committed(1, new Waiter.Local(1)), new CommittedEntry(noop, List.of()))));
        h.handle(new Ready(List.of(), CommittedEntries.NONE, List.of(), List.of(new LateAcceptance(2, 1)), false, List.of(),
                List.of()));

        assertArrayEquals(new byte[0], recorded.completed.get(1L));
        assertArrayEquals(new byte[0], recorded.completed.get(2L));
        assertEquals(List.of("apply 1", "command #1 at 1", "apply 2", "command #2 at 1"), recorded.calls);
    }

    @Test
    void aLateAcceptanceWhoseResultWasEvictedSaysAppliedNeverRetriable() {
        int capacity = 1024; // the least a handler keeps, with maxPendingCommands below it
        ReadyHandler handler = new ReadyHandler("a", CLUSTER, RaftConfig.builder().maxPendingCommands(1).build(), 0,
                effects);
        List<CommittedEntry> many = new ArrayList<>();
        for (long i = 1; i <= capacity + 1; i++) {
            many.add(committed(i));
        }
        handler.handle(readyOf(many));
        handler.handle(new Ready(List.of(), CommittedEntries.NONE, List.of(),
                List.of(new LateAcceptance(1, 1), new LateAcceptance(new Waiter.Remote("client", 9), 1),
                        new LateAcceptance(2, 2)), false, List.of(), List.of()));

        RaftException failure = effects.failed.get(1L);
        assertInstanceOf(CommandOutcomeUnknownException.class, failure);
        assertFalse(failure instanceof RetriableCommandException);
        assertTrue(failure.getMessage().contains("applied at index 1"), failure.getMessage());
        CommandResponse answer = onlyResponse();
        assertEquals(CommandResponse.Status.APPLIED, answer.status());
        assertArrayEquals(new byte[0], answer.result());
        assertTrue(answer.error().contains("no longer retained"), answer.error());
        assertArrayEquals(bytes("rc2"), effects.completed.get(2L), "index 2 is still retained");
    }

    @Test
    void aQueryThatThrowsFailsThatReadOnly() {
        effects.queryFailure = new IllegalArgumentException("bad query");
        handler.handle(readyOf(List.of(committed(1))));
        handler.handle(new Ready(List.of(), CommittedEntries.NONE, List.of(), List.of(), false,
                List.of(new ReadyRead(new Waiter.Local(1), 1, bytes("x")),
                        new ReadyRead(new Waiter.Remote("client", 4), 1, bytes("y"))),
                List.of(new ReadAnswer(2, 1, null))));

        RaftException failure = effects.failed.get(1L);
        assertTrue(failure.getMessage().contains("query failed") && failure.getMessage().contains("bad query"),
                failure.getMessage());
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        CommandResponse answer = onlyResponse();
        assertEquals(CommandResponse.Status.REJECTED, answer.status());
        assertEquals(1, answer.index());
        assertTrue(answer.error().contains("bad query"), answer.error());
        assertArrayEquals(new byte[0], effects.completed.get(2L), "the other read is still answered");
    }

    @Test
    void aReadReleasedBeforeItsIndexIsAppliedIsABug() {
        ReadyHandler restarted = new ReadyHandler("a", CLUSTER, Fixtures.plain(), 5, effects);
        restarted.handle(readyOf(List.of(committed(6))));
        Ready early = new Ready(List.of(), CommittedEntries.NONE, List.of(), List.of(), false,
                List.of(new ReadyRead(new Waiter.Local(1), 7, bytes("k"))), List.of());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> restarted.handle(early));

        assertTrue(e.getMessage().contains("applied only 6"), e.getMessage());
        assertFalse(effects.calls.contains("query k"), "the query must not run");
    }

    private CommandResponse onlyResponse() {
        assertEquals(1, effects.sent.size(), "sent: " + effects.sent);
        return assertInstanceOf(CommandResponse.class, effects.sent.get(0));
    }

    private static Ready readyOf(List<CommittedEntry> committed) {
        return new Ready(List.of(), CommittedEntries.of(committed), List.of(), List.of(), false, List.of(), List.of());
    }

    private static CommittedEntry committed(long index, Waiter... waiters) {
        return new CommittedEntry(new LogEntry(index, 3, EntryType.COMMAND, bytes("c" + index)), List.of(waiters));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
