package io.raftbus.benchmarks.versus;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor of a thread hand-off on this machine: two threads pass a turn back and forth, each parked
 * ({@link LockSupport#park}) until the other unparks it, as an event loop waits for its next event. Half a round
 * trip is one wake-up: the cost every hop between two threads pays at least, in raftbus as in MicroRaft.
 */
final class ParkPingPong {

    private volatile int turn;
    private volatile Thread ping;
    private volatile Thread pong;

    private ParkPingPong() {
    }

    /** The median one-way hand-off, in nanoseconds, over {@code roundTrips} round trips (after as many to warm up). */
    static long medianOneWayNanos(int roundTrips) throws InterruptedException {
        return new ParkPingPong().run(roundTrips);
    }

    private long run(int roundTrips) throws InterruptedException {
        long[] samples = new long[roundTrips];
        int total = 2 * roundTrips;
        ping = Thread.currentThread();
        Thread responder = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                awaitTurn(1);
                turn = 0;
                LockSupport.unpark(ping);
            }
        }, "pong");
        pong = responder;
        responder.setDaemon(true);
        responder.start();
        for (int i = 0; i < total; i++) {
            long start = System.nanoTime();
            turn = 1;
            LockSupport.unpark(pong);
            awaitTurn(0);
            if (i >= roundTrips) {
                samples[i - roundTrips] = System.nanoTime() - start;
            }
        }
        responder.join();
        Arrays.sort(samples);
        return samples[roundTrips / 2] / 2;
    }

    private void awaitTurn(int wanted) {
        while (turn != wanted) {
            LockSupport.park(this);
        }
    }
}
