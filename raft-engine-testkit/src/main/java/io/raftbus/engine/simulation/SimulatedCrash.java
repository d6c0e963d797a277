package io.raftbus.engine.simulation;

/**
 * Thrown by a simulated node's log to crash the node at that point (the call writes nothing); the simulation catches
 * it around every step and crashes the node as {@link Simulation#crash} does.
 */
final class SimulatedCrash extends RuntimeException {

    SimulatedCrash(String message) {
        super(message, null, false, false);
    }
}
