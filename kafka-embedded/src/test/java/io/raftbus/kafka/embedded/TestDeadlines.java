package io.raftbus.kafka.embedded;

import java.time.Duration;

/**
 * This module's reading of the shared test deadline factor, the system property {@code raftbus.test.timeFactor}
 * (default 1). The module does not depend on raft-engine, whose {@code io.raftbus.engine.testkit.TestDeadlines}
 * the other modules share; both read the same property the same way.
 */
final class TestDeadlines {

    private static final String PROPERTY = "raftbus.test.timeFactor";

    private TestDeadlines() {
    }

    /** {@code seconds} multiplied by the factor. */
    static Duration seconds(long seconds) {
        String value = System.getProperty(PROPERTY);
        double factor = value == null || value.isBlank() ? 1.0 : Double.parseDouble(value.trim());
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive number, not '" + value + "'");
        }
        return Duration.ofNanos(Math.round(Duration.ofSeconds(seconds).toNanos() * factor));
    }
}
