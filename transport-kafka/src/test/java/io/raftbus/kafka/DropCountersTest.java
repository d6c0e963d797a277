package io.raftbus.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropCountersTest {

    @Test
    void countsEveryDropButLogsEachCauseAtMostOncePerMinute() {
        AtomicLong now = new AtomicLong(1_000);
        DropCounters drops = new DropCounters("test", now::get);

        assertTrue(drops.drop(DropCause.FOREIGN_CLUSTER, "first", null));
        assertFalse(drops.drop(DropCause.FOREIGN_CLUSTER, "second", null));
        assertTrue(drops.drop(DropCause.NOT_AN_ENVELOPE, "other cause logs independently", null));
        now.addAndGet(DropCounters.LOG_INTERVAL_NANOS - 1);
        assertFalse(drops.drop(DropCause.FOREIGN_CLUSTER, "still within the minute", null));
        now.addAndGet(1);
        assertTrue(drops.drop(DropCause.FOREIGN_CLUSTER, "a minute later", null));

        assertEquals(4, drops.count(DropCause.FOREIGN_CLUSTER));
        assertEquals(Map.of("foreign-cluster", 4L, "not-an-envelope", 1L), drops.snapshot());
    }

    @Test
    void aDropASettingCausesIsExplainedOnceAndCountedAlways() {
        AtomicLong now = new AtomicLong(1_000);
        DropCounters drops = new DropCounters("test", now::get);

        assertTrue(drops.dropWarningOnce(DropCause.WRITE_VERSION_TOO_OLD, "finish the upgrade"));
        now.addAndGet(10 * DropCounters.LOG_INTERVAL_NANOS);
        assertFalse(drops.dropWarningOnce(DropCause.WRITE_VERSION_TOO_OLD, "finish the upgrade"));
        assertEquals(Map.of("write-version-too-old", 2L), drops.snapshot());
    }
}
