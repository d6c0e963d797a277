package io.raftbus.engine;

import io.raftbus.engine.core.SnapshotRequest;
import io.raftbus.engine.spi.SnapshotInfo;
import io.raftbus.engine.spi.SnapshotStore;
import io.raftbus.engine.spi.SnapshotWriter;
import io.raftbus.engine.spi.StateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A node's snapshot thread, {@code raftbus-<nodeId>-snapshot} (a daemon): writes a state the event loop captured into
 * the {@link SnapshotStore} and commits it, off the event loop, then reports the outcome back to the loop as a
 * {@link NodeEvent.SnapshotDone}. One snapshot at a time (the core asks for the next only after the outcome). Its
 * store is the node's {@link GatedSnapshotStore}: after a crash nothing more is committed. {@link #stop} aborts an
 * unfinished write.
 */
final class SnapshotWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWorker.class);

    private final String nodeId;
    private final SnapshotStore store;
    private final CrashGate crashGate;
    private final Consumer<NodeEvent.SnapshotDone> report;
    private final ExecutorService thread;
    private volatile SnapshotWriter current;
    /** The thread the executor made (it makes at most one), joined by {@link #stop}. */
    private volatile Thread worker;

    SnapshotWorker(String nodeId, SnapshotStore store, CrashGate crashGate, Consumer<NodeEvent.SnapshotDone> report) {
        this.nodeId = nodeId;
        this.store = store;
        this.crashGate = crashGate;
        this.report = report;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "raftbus-" + nodeId + "-snapshot");
            t.setDaemon(true);
            worker = t;
            return t;
        });
    }

    /** Writes {@code captured} (the state at {@code request.index()}) on the snapshot thread; releases it after. */
    void write(SnapshotRequest request, StateSnapshot captured) {
        try {
            thread.execute(() -> writeNow(request, captured));
        } catch (RejectedExecutionException stopped) {
            captured.release();
        }
    }

    private void writeNow(SnapshotRequest request, StateSnapshot captured) {
        long started = System.nanoTime();
        try (SnapshotWriter writer = store.create(request.index(), request.term(), request.membership())) {
            current = writer;
            captured.writeTo(writer.stream());
            writer.stream().flush();
            SnapshotInfo info = writer.commit();
            LOG.info("node {}: snapshot at index {} written ({} bytes in {} ms)", nodeId, info.index(),
                    info.sizeBytes(), (System.nanoTime() - started) / 1_000_000);
            report.accept(new NodeEvent.SnapshotDone(request.index(), info, null));
        } catch (CrashGate.Crashed e) {
            LOG.debug("node {}: snapshot at index {} dropped by the crash", nodeId, request.index());
        } catch (IOException | RuntimeException e) {
            Throwable cause = e;
            if (Thread.currentThread().isInterrupted() || crashGate.isShut()) {
                LOG.debug("node {}: snapshot at index {} abandoned as the node stops", nodeId, request.index());
            } else {
                LOG.warn("node {}: writing the snapshot at index {} failed; a later one will be tried", nodeId,
                        request.index(), cause);
            }
            report.accept(new NodeEvent.SnapshotDone(request.index(), null, String.valueOf(cause)));
        } finally {
            current = null;
            try {
                captured.release();
            } catch (RuntimeException e) {
                LOG.warn("node {}: releasing the captured state of index {} failed", nodeId, request.index(), e);
            }
        }
    }

    /** Aborts a write under way and stops the thread, waiting at most {@code timeoutMs} for it. */
    void stop(long timeoutMs) {
        thread.shutdownNow();
        SnapshotWriter writing = current;
        if (writing != null) {
            writing.abort();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            boolean terminated = thread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
            Thread t = worker;
            if (terminated && t != null) {
                // the executor reports termination from its last thread, which then still has to exit
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            if (!terminated || (t != null && t.isAlive())) {
                LOG.warn("node {}: snapshot thread still busy {} ms after the node stopped (a StateSnapshot.writeTo"
                        + " not ending?)", nodeId, timeoutMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
