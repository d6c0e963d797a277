package io.raftbus.engine.spi;

import io.raftbus.engine.message.CommandRequest;
import io.raftbus.engine.message.RaftMessage;
import io.raftbus.engine.testing.PausableTransport;
import io.raftbus.engine.testing.RecordingTransport;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ForwardingTransport} subclass that overrides nothing behaves as the transport it wraps: every call,
 * default methods included, reaches the delegate. Two hand-written wrappers once dropped {@code membershipChanged}
 * silently because it has a default; these tests keep the base from doing the same.
 */
class ForwardingTransportTest {

    private static final class PlainWrapper extends ForwardingTransport {
        PlainWrapper(Transport delegate) {
            super(delegate);
        }
    }

    private static final Membership GROWN = new Membership(Set.of("n1", "n2", "n3"), Set.of("n4"));

    private static RaftMessage message(long requestId) {
        return new CommandRequest("c", "n1", "n2", 1, requestId, new byte[0]);
    }

    @Test
    void aSubclassThatOverridesNothingForwardsEveryCall() {
        RecordingTransport real = new RecordingTransport();
        Transport wrapper = new PlainWrapper(real);
        List<RaftMessage> received = new ArrayList<>();

        RaftMessage in = message(1);
        RaftMessage out = message(2);

        wrapper.start("n1", received::add);
        real.inbound.accept(in);
        wrapper.send(out);
        wrapper.membershipChanged(GROWN);

        assertEquals("n1", real.startedAs);
        assertEquals(List.of(in), received);
        assertEquals(List.of(out), real.sent);
        assertEquals(RecordingTransport.MAX_MESSAGE_BYTES, wrapper.maxMessageBytes());
        assertEquals(List.of(GROWN), real.told);
        wrapper.close();
        assertTrue(real.closed);
    }

    /** A method added to Transport later (a default one above all) must be forwarded too, not inherited. */
    @Test
    void everyTransportMethodIsForwardedNotInheritedFromTheInterface() throws NoSuchMethodException {
        for (Method method : Transport.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method found = ForwardingTransport.class.getMethod(method.getName(), method.getParameterTypes());
            assertEquals(ForwardingTransport.class, found.getDeclaringClass(),
                    method.getName() + Arrays.toString(method.getParameterTypes())
                            + " is not forwarded by ForwardingTransport");
        }
    }

    @Test
    void thePausableWrapperForwardsTheConfigurationAndTheMessageLimit() {
        RecordingTransport real = new RecordingTransport();
        PausableTransport paused = new PausableTransport(real, true);
        paused.membershipChanged(GROWN);
        assertEquals(List.of(GROWN), real.told);
        assertEquals(RecordingTransport.MAX_MESSAGE_BYTES, paused.maxMessageBytes());
    }
}
