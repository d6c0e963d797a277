package io.raftbus.engine;

/** A cache line between {@link EventQueueLoopSide}'s fields and {@link EventQueue}'s own (see the former). */
@SuppressWarnings("unused")
abstract class EventQueuePadding extends EventQueueLoopSide {
    private long p0;
    private long p1;
    private long p2;
    private long p3;
    private long p4;
    private long p5;
    private long p6;
    private long p7;
}
