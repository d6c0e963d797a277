package io.raftbus.engine;

/**
 * The command was certainly not applied and never will be, so submitting it again is safe: it cannot end up applied
 * twice. Subclasses say why ({@link NotLeaderException}, {@link BackpressureException},
 * {@link CommandNotAppendedException}, {@link CommandNotCommittedException}, and for reads
 * {@link ReadNotServedException}). Contrast {@link CommandOutcomeUnknownException}, after which a retry may
 * apply a command twice.
 */
public class RetriableCommandException extends RaftException {

    public RetriableCommandException(String message) {
        super(message);
    }
}
