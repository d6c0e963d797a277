package io.raftbus.engine;

/**
 * {@link EventQueue}'s fields that only the loop writes, at every event it takes, laid out before
 * {@link EventQueuePadding}: a superclass's fields come first in an object, so they never share a cache line with the
 * fields producers write or read at every offer (the tail, the parked loop, the bounds), which would otherwise move
 * between the cores at every hand-off (false sharing; idea from JCTools' padded queues).
 */
abstract class EventQueueLoopSide {

    /** The place the loop took last (at first, an empty place); the next event is linked behind it. */
    EventLink head = ChainedEvent.carrying(null);
    /** Submits and inbound messages the loop took but has not yet given back to the bounds. */
    int takenSubmits;
    int takenInbound;
}
