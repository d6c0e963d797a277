package io.raftbus.engine.simulation;

import io.raftbus.engine.core.CommandStamper;
import io.raftbus.engine.session.LogTimeStamper;
import io.raftbus.engine.session.SessionLimits;
import io.raftbus.engine.session.SessionTable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The simulation's client-session layer ({@link Simulation.Builder#sessions}): each node's replicated
 * {@link SessionTable} over its model state machine, and the invariant that each (session, seq) is applied at most
 * once: at one log index, whichever node applies it, however often a node rebuilds its state. An applied payload's
 * result is the index of its first application ({@link #resultOf}), so an answer can be checked against it.
 *
 * <p>Session payloads are {@code "<session>:<seq>:<attempt>"}: attempts differ in bytes (the Raft-level checks
 * still see distinct commands) but are the same (session, seq) to the table. Each node stamps log time with the
 * virtual clock plus a fixed per-node skew, so leaders disagree about time as real ones do.
 */
final class SimSessions {

    private final long idleTimeoutMs;
    private final SessionLimits limits;
    private final Map<String, SessionTable> tables = new HashMap<>();
    private final Map<String, Long> skews = new HashMap<>();
    /** (session, seq) to the index it was first applied at, on any node. */
    private final Map<String, Long> firstApplications = new HashMap<>();
    private long applications;

    SimSessions(long idleTimeoutMs, SessionLimits limits) {
        this.idleTimeoutMs = idleTimeoutMs;
        this.limits = limits;
    }

    long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** The stamper of a node: virtual time plus that node's skew (drawn once, up to ±idle timeout / 2). */
    CommandStamper stamper(String nodeId, SplittableRandom random, LongSupplier now) {
        long bound = Math.max(1, Math.min(idleTimeoutMs / 2, 2_000));
        long skew = skews.computeIfAbsent(nodeId, id -> random.nextLong(-bound, bound + 1));
        return new LogTimeStamper(() -> Math.max(0, now.getAsLong() + skew));
    }

    /** The node's state machine was lost (a crash of an in-memory one). */
    void reset(String nodeId) {
        tables.put(nodeId, new SessionTable(idleTimeoutMs, limits));
    }

    SessionTable table(String nodeId) {
        return tables.computeIfAbsent(nodeId, id -> new SessionTable(idleTimeoutMs, limits));
    }

    /** Applies a command entry's bytes on {@code nodeId}; returns the encoded reply. */
    byte[] apply(String nodeId, long index, byte[] command) {
        return table(nodeId).apply(index, command, (i, payload) -> firstApplication(nodeId, i, payload)).encode();
    }

    private byte[] firstApplication(String nodeId, long index, byte[] payload) {
        String p = new String(payload, StandardCharsets.UTF_8);
        int last = p.lastIndexOf(':');
        String key = last < 0 ? p : p.substring(0, last);
        Long earlier = firstApplications.putIfAbsent(key, index);
        if (earlier != null && earlier != index) {
            throw new IllegalStateException("Sessions: (session:seq) " + key + " applied at index " + index + " on "
                    + nodeId + " but it was applied at index " + earlier + " already: applied twice");
        }
        applications++;
        return ByteBuffer.allocate(8).putLong(index).array();
    }

    /** The index (session, seq) was first applied at, or -1 if never. */
    long firstApplication(long sessionId, long seq) {
        return firstApplications.getOrDefault(sessionId + ":" + seq, -1L);
    }

    /** The index an APPLIED result names. */
    static long resultOf(byte[] result) {
        return ByteBuffer.wrap(result).getLong();
    }

    /** First applications so far (counted on every node that applied them). */
    long applications() {
        return applications;
    }

    /** The model's snapshot and the node's table, as one snapshot. */
    byte[] snapshot(String nodeId, byte[] model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(model.length);
            out.write(model);
            table(nodeId).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Restores the node's table from a snapshot by {@link #snapshot}; returns the model's part. */
    byte[] restore(String nodeId, byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte[] model = in.readNBytes(in.readInt());
            SessionTable t = new SessionTable(idleTimeoutMs, limits);
            t.readFrom(in);
            if (in.read() != -1) {
                throw new IllegalStateException("Sessions: a snapshot has bytes after its session table");
            }
            tables.put(nodeId, t);
            return model;
        } catch (IOException e) {
            throw new IllegalStateException("Sessions: a snapshot's session table cannot be read: " + e, e);
        }
    }
}
