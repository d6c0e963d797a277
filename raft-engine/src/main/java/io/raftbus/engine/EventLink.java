package io.raftbus.engine;

/**
 * A place in {@link EventQueue}'s chain. A frequent event carries its own link ({@link NodeEvent.Submit},
 * {@link NodeEvent.Inbound}), so queuing it allocates nothing; a rare one rides in a {@link ChainedEvent} made for it.
 * A place is queued, then either taken by the loop or withdrawn by the thread that queued it, never both: the first
 * of {@link #claim} and {@link #withdraw} to move it out of the queued state wins.
 */
interface EventLink {

    /** A place's state: queued, until the loop takes it or its producer withdraws it. */
    int QUEUED = 0;
    int TAKEN = 1;
    int WITHDRAWN = 2;

    /** The next place in the chain, null while this is the last (a volatile read). */
    EventLink next();

    /**
     * Links {@code next} behind this place (a volatile write: a producer reads whether the loop is parked only after
     * its event is visible to it; see {@link EventQueue}).
     */
    void linkNext(EventLink next);

    /** Drops the link once the loop has moved past this place (a plain write, the loop's own). */
    void unlinkNext();

    /** The event queued at this place. */
    NodeEvent event();

    /** The loop takes the event: true unless it was withdrawn first. */
    boolean claim();

    /** Takes the event back before the loop takes it: true if it was still queued (the loop will skip it). */
    boolean withdraw();
}
