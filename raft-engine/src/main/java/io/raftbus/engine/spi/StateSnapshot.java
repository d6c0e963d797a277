package io.raftbus.engine.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A consistent view of a state machine's state, captured by {@link StateMachine#captureSnapshot()} on the event loop
 * and written out later on the node's snapshot thread, while the event loop goes on applying entries. Capturing must
 * be quick (a copy-on-write reference, a database snapshot or backup handle); writing may take as long as it needs.
 */
public interface StateSnapshot {

    /**
     * Writes the captured state to {@code out} (on the snapshot thread, once). The bytes are what
     * {@link StateMachine#restoreSnapshot} reads back, on this node or another.
     */
    void writeTo(OutputStream out) throws IOException;

    /** Releases what the capture holds (called once, after {@link #writeTo} or instead of it). */
    default void release() {
    }
}
