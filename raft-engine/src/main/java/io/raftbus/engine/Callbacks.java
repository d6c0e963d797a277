package io.raftbus.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's single completion thread ({@code raftbus-<nodeId>-callbacks}): completes user futures and notifies
 * listeners, so user code (a future's dependent stages, a listener) never runs on, or stalls, the event loop (unless
 * {@link RaftConfig#completeOnEventLoop()} lets the loop complete submit and read futures itself).
 * Everything handed over runs in hand-over order; {@link #idle()} tells whether all of it has run.
 */
final class Callbacks {

    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

    private final String nodeId;
    private final List<RaftListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;
    private volatile Thread thread;
    /** Tasks handed to the completion thread (by the event loop, the only caller of the methods that hand over). */
    private final AtomicLong handedOver = new AtomicLong();
    /** Tasks the completion thread has finished; written by it alone. */
    private volatile long finished;

    Callbacks(String nodeId) {
        this.nodeId = nodeId;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "raftbus-" + nodeId + "-callbacks");
            t.setDaemon(true);
            thread = t;
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable task, Throwable error) {
                finished++; // only the completion thread writes it
            }
        };
    }

    void addListener(RaftListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(RaftListener listener) {
        listeners.remove(listener);
    }

    /**
     * Runs the batch's completions, in order, on the completion thread, as one task; each one's failure is logged
     * and does not stop the rest.
     */
    void run(CompletionBatch batch) {
        if (!batch.isEmpty()) {
            execute(batch);
        }
    }

    /** Tells the listeners what changed between two statuses of this node (nothing if role and leader are equal). */
    void statusChanged(RaftStatus before, RaftStatus after) {
        boolean roleChanged = before.role() != after.role();
        boolean leaderChanged = !Objects.equals(before.leaderId(), after.leaderId());
        boolean membershipChanged = !before.voters().equals(after.voters())
                || !before.learners().equals(after.learners());
        if (!roleChanged && !leaderChanged && !membershipChanged) {
            return;
        }
        execute(() -> {
            for (RaftListener listener : listeners) {
                try {
                    if (roleChanged) {
                        listener.onRoleChange(nodeId, before.role(), after.role(), after.term());
                    }
                    if (leaderChanged) {
                        listener.onLeaderChange(nodeId, after.leaderId(), after.term());
                    }
                    if (membershipChanged) {
                        listener.onMembershipChange(nodeId, after.voters(), after.learners());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("node {}: listener {} threw; ignoring it", nodeId, listener, e);
                }
            }
        });
    }

    /** Tells the listeners that the node stopped on a fatal error. */
    void fatalError(RaftException error) {
        execute(() -> {
            for (RaftListener listener : listeners) {
                try {
                    listener.onFatalError(nodeId, error);
                } catch (RuntimeException e) {
                    LOG.warn("node {}: listener {} threw; ignoring it", nodeId, listener, e);
                }
            }
        });
    }

    /**
     * Whether the completion thread has finished everything handed to it: no future completion or listener
     * notification decided earlier is still waiting to run. The event loop's question (the only thread that hands
     * work over) before it lets a blocked caller complete its own future, which must not overtake them.
     */
    boolean idle() {
        return finished == handedOver.get();
    }

    /** Whether the calling thread is the completion thread. */
    boolean isCallbackThread() {
        return Thread.currentThread() == thread;
    }

    /** Stops accepting work; what is queued still runs. Does not wait. */
    void finish() {
        executor.shutdown();
    }

    /**
     * Stops accepting work and waits up to {@code timeoutMs} for what is queued to finish (not when called from
     * the completion thread itself, which would wait for itself).
     */
    void shutdown(long timeoutMs) {
        executor.shutdown();
        if (isCallbackThread()) {
            return;
        }
        try {
            if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("node {}: callbacks still running {} ms after close; not waiting for them", nodeId,
                        timeoutMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Runnable task) {
        handedOver.incrementAndGet();
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            handedOver.decrementAndGet();
            LOG.debug("node {}: callback after shutdown dropped", nodeId);
        }
    }
}
