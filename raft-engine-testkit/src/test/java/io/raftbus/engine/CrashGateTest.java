package io.raftbus.engine;

import io.raftbus.engine.testing.Await;
import io.raftbus.engine.testing.TestDeadlines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash point: nothing passes once {@link CrashGate#shut()} returned, shutting waits for an effect or an open
 * window, the holder of a window may shut it itself, and another thread is not kept out by a loop reopening windows.
 */
class CrashGateTest {

    private static final Duration DEADLINE = TestDeadlines.seconds(30);

    @Test
    void effectsPassInsideAWindowWithoutTakingTheGateAndByThemselvesOutsideIt() {
        CrashGate gate = new CrashGate();
        assertTrue(gate.open());
        assertFalse(gate.enter(), "the window's holder does not take the gate again");
        gate.leave(false);
        assertTrue(gate.pass(() -> true));
        gate.close();
        assertTrue(gate.enter(), "outside a window an effect takes the gate");
        gate.leave(true);
    }

    @Test
    void shutWaitsForTheOpenWindowThenNothingPasses() throws Exception {
        CrashGate gate = new CrashGate();
        assertTrue(gate.open());
        Thread shutter = new Thread(gate::shut, "shutter");
        shutter.start();
        Await.until("shut() waits for the window", () -> shutter.getState() == Thread.State.WAITING, DEADLINE);
        assertFalse(gate.isShut(), "the window's effects still pass");
        assertFalse(gate.enter());
        gate.close();
        shutter.join(DEADLINE.toMillis());
        assertFalse(shutter.isAlive());
        assertTrue(gate.isShut());
        assertFalse(gate.open(), "no window after the crash point");
        assertThrows(CrashGate.Crashed.class, gate::enter);
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(CrashGate.Crashed.class, () -> gate.pass(() -> ran.set(true)));
        assertFalse(ran.get());
    }

    @Test
    void theHolderShuttingTheGateRefusesTheRestOfItsWindow() {
        CrashGate gate = new CrashGate();
        assertTrue(gate.open());
        gate.shut(); // a state machine calling crash() from an apply, on the loop's thread
        assertThrows(CrashGate.Crashed.class, gate::enter);
        gate.close();
        assertFalse(gate.open());
    }

    @Test
    void anotherThreadGetsThroughWhileTheHolderReopensWindowsInALoop() throws Exception {
        CrashGate gate = new CrashGate();
        AtomicBoolean passed = new AtomicBoolean();
        Thread other = new Thread(() -> gate.pass(() -> passed.set(true)), "snapshot writer");
        assertTrue(gate.open());
        other.start();
        Await.until("the other thread waits for the gate", () -> other.getState() == Thread.State.WAITING, DEADLINE);
        gate.close();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!passed.get() && System.nanoTime() < deadline) { // a busy loop: window after window, no pause
            assertTrue(gate.open());
            gate.close();
        }
        assertTrue(passed.get(), "the gate is fair: a waiting thread passes between two windows");
        other.join(DEADLINE.toMillis());
    }
}
