package io.raftbus.kafka;

import io.raftbus.engine.message.RaftMessage;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Field-by-field comparison of messages, comparing byte arrays by content (records compare them by identity). */
final class MessageAssertions {

    private MessageAssertions() {
    }

    static void assertSameMessage(RaftMessage expected, RaftMessage actual) {
        assertSame(expected.getClass(), actual.getClass(), "message type");
        for (RecordComponent component : expected.getClass().getRecordComponents()) {
            Object want = read(component, expected);
            Object got = read(component, actual);
            String what = expected.getClass().getSimpleName() + "." + component.getName();
            if (want instanceof byte[] w && got instanceof byte[] g) {
                assertArrayEquals(w, g, what);
            } else {
                assertEquals(want, got, () -> what + " of " + expected + " vs " + actual
                        + (want instanceof byte[] || got instanceof byte[] ? " " + Arrays.toString((byte[]) want) : ""));
            }
        }
    }

    private static Object read(RecordComponent component, RaftMessage message) {
        try {
            return component.getAccessor().invoke(message);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
