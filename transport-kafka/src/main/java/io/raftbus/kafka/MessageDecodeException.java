package io.raftbus.kafka;

import java.util.Objects;

/**
 * Bytes read from an inbox could not be turned into a Raft message. {@link #category()} says why, so the transport
 * can count drops per cause. Internal (public for tools and tests): not an API.
 */
public final class MessageDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Category {
        /** Not an Avro single-object encoded record at all (missing or wrong header, too short). */
        NOT_AN_ENVELOPE(DropCause.NOT_AN_ENVELOPE),
        /** A single-object record whose schema fingerprint this node does not know. */
        UNKNOWN_SCHEMA(DropCause.UNKNOWN_SCHEMA),
        /** The header is fine but the body does not match the writer's schema (truncated, corrupt, trailing bytes). */
        MALFORMED(DropCause.MALFORMED),
        /** Well-formed Avro that violates the engine's invariants (e.g. a log entry with index 0). */
        INVALID_MESSAGE(DropCause.INVALID_MESSAGE);

        private final DropCause dropCause;

        Category(DropCause dropCause) {
            this.dropCause = dropCause;
        }

        /** The drop counter this category is counted under. */
        public DropCause dropCause() {
            return dropCause;
        }
    }

    private final Category category;

    public MessageDecodeException(Category category, String message, Throwable cause) {
        super(Objects.requireNonNull(category, "category") + ": " + message, cause);
        this.category = category;
    }

    /** Why decoding failed. */
    public Category category() {
        return category;
    }
}
