package io.raftbus.engine;

import io.raftbus.engine.memory.InMemoryLog;
import io.raftbus.engine.spi.ForwardingLog;
import io.raftbus.engine.spi.LogAPI;
import io.raftbus.engine.spi.LogException;
import io.raftbus.engine.spi.SnapshotMeta;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogFailureWatch} watches and gates every log call: none is left to the plain forwarding of
 * {@link ForwardingLog}, a permanent failure of a snapshot install is remembered like any other, and after the crash
 * point an install does not reach the log.
 */
class LogFailureWatchTest {

    /** Calls that are neither watched nor gated on purpose: a property, and closing (allowed after a crash). */
    private static final Set<String> NOT_WATCHED = Set.of("isDurable", "close");

    @Test
    void everyLogCallIsOverriddenSoNoneBypassesTheWatchOrTheGate() {
        List<String> missing = new ArrayList<>();
        for (Method m : LogAPI.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || NOT_WATCHED.contains(m.getName())) {
                continue;
            }
            try {
                LogFailureWatch.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "LogAPI calls LogFailureWatch does not watch: " + missing);
    }

    @Test
    void aPermanentFailureOfASnapshotInstallIsRemembered() {
        LogException broken = new LogException("disk gone", null, true);
        LogFailureWatch watch = new LogFailureWatch(new FailingInstall(broken), new CrashGate());
        assertSame(broken, assertThrows(LogException.class, () -> watch.installSnapshot(new SnapshotMeta(5, 1))));
        assertSame(broken, watch.permanentFailure(), "the event loop stops the node on it");
    }

    @Test
    void afterTheCrashPointASnapshotInstallDoesNotReachTheLog() {
        FailingInstall log = new FailingInstall(null);
        CrashGate gate = new CrashGate();
        LogFailureWatch watch = new LogFailureWatch(log, gate);
        watch.installSnapshot(new SnapshotMeta(5, 1));
        assertEquals(1, log.installs.get());
        gate.shut();
        assertThrows(CrashGate.Crashed.class, () -> watch.installSnapshot(new SnapshotMeta(9, 1)));
        assertEquals(1, log.installs.get(), "nothing reaches the log once crash() returned");
    }

    /** An in-memory log whose installs are counted, and fail with {@code failure} if it is set. */
    private static final class FailingInstall extends ForwardingLog {
        private final LogException failure;
        private final AtomicInteger installs = new AtomicInteger();

        FailingInstall(LogException failure) {
            super(new InMemoryLog());
            this.failure = failure;
        }

        @Override
        public void installSnapshot(SnapshotMeta snapshot) {
            installs.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            super.installSnapshot(snapshot);
        }
    }
}
