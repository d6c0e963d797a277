package io.raftbus.kafka;

import io.raftbus.engine.message.AppendEntriesRequest;
import io.raftbus.engine.message.AppendEntriesResponse;
import io.raftbus.engine.message.RaftMessage;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A diagnostic, off unless the JVM runs with {@code -Draftbus.kafka.hopTrace=true}: stamps {@link System#nanoTime()}
 * at each stage a message passes through the transport (see the {@code STAGE_} constants) into a fixed ring, so a
 * benchmark in the same JVM can tell where a message's time goes ({@code HopBreakdown} in the benchmarks). Only
 * AppendEntries requests and responses are stamped, keyed by sender, receiver and log index (a request's last
 * index, a response's match index). When off, each stamp is one test of a constant the JIT removes.
 */
public final class HopTrace {

    /** Whether stamps are kept (the system property {@code raftbus.kafka.hopTrace}, read once). */
    public static final boolean ENABLED = Boolean.getBoolean("raftbus.kafka.hopTrace");

    /** {@link KafkaTransport#send} called (the caller's thread: a node's event loop). */
    public static final int STAGE_SEND_CALLED = 0;
    /** The message is about to be encoded and handed to the producer (a lane's thread, or the caller's). */
    public static final int STAGE_HANDED_TO_PRODUCER = 1;
    /** The producer's {@code send} returned. */
    public static final int STAGE_PRODUCER_RETURNED = 2;
    /** Kafka acknowledged the record (the producer's I/O thread). */
    public static final int STAGE_ACKNOWLEDGED = 3;
    /** The receiver's consumer poll returned the record (before decoding). */
    public static final int STAGE_POLLED = 4;
    /** Decoded and filtered: about to be handed to the inbound handler (the node's event queue). */
    public static final int STAGE_HANDED_INBOUND = 5;

    /** Message kinds in the trace. */
    public static final int KIND_APPEND = 1;
    public static final int KIND_APPEND_RESPONSE = 2;

    private static final int CAPACITY = 1 << 20;
    private static final long[] NANOS = ENABLED ? new long[CAPACITY] : new long[0];
    private static final long[] INDEX = ENABLED ? new long[CAPACITY] : new long[0];
    private static final int[] STAGE_KIND = ENABLED ? new int[CAPACITY] : new int[0];
    private static final String[] FROM = ENABLED ? new String[CAPACITY] : new String[0];
    private static final String[] TO = ENABLED ? new String[CAPACITY] : new String[0];
    private static final String[] CLUSTER = ENABLED ? new String[CAPACITY] : new String[0];
    private static final AtomicInteger NEXT = new AtomicInteger();

    private HopTrace() {
    }

    static void mark(int stage, RaftMessage message) {
        if (ENABLED) {
            mark(stage, message, System.nanoTime());
        }
    }

    /** A stamp taken earlier, e.g. when the poll returned, before the message was decoded. */
    static void mark(int stage, RaftMessage message, long now) {
        if (!ENABLED) {
            return;
        }
        int kind;
        long index;
        if (message instanceof AppendEntriesRequest append) {
            if (append.entries().isEmpty()) {
                return;
            }
            kind = KIND_APPEND;
            index = append.prevLogIndex() + append.entries().size();
        } else if (message instanceof AppendEntriesResponse response) {
            kind = KIND_APPEND_RESPONSE;
            index = response.matchIndex();
        } else {
            return;
        }
        int slot = NEXT.getAndIncrement() & (CAPACITY - 1);
        NANOS[slot] = now;
        INDEX[slot] = index;
        STAGE_KIND[slot] = stage << 8 | kind;
        FROM[slot] = message.from();
        TO[slot] = message.to();
        CLUSTER[slot] = message.clusterId();
    }

    /** One stamp. */
    public record Stamp(long nanos, int stage, int kind, String cluster, String from, String to, long index) {
    }

    /** Forgets every stamp (call while no message moves). */
    public static void clear() {
        NEXT.set(0);
    }

    /** The stamps since the last {@link #clear()}, oldest first (up to the ring's capacity). */
    public static java.util.List<Stamp> stamps() {
        int n = Math.min(NEXT.get(), CAPACITY);
        java.util.List<Stamp> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Stamp(NANOS[i], STAGE_KIND[i] >>> 8, STAGE_KIND[i] & 0xff, CLUSTER[i], FROM[i], TO[i],
                    INDEX[i]));
        }
        return out;
    }
}
