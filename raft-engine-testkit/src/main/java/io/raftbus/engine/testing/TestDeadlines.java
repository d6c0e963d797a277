package io.raftbus.engine.testing;

import java.time.Duration;

/**
 * The one factor that scales every deadline of the real-thread tests, read from the system property
 * {@value #PROPERTY} (default {@value #DEFAULT_FACTOR}; the build passes it through, e.g.
 * {@code ./mvnw verify -Draftbus.test.timeFactor=3} on a very slow machine). A deadline only bounds how long a test
 * waits for a condition before it fails; no test asserts how fast the machine is, so the base values are sized for
 * a busy 2-core machine and the factor only matters when even those are too short.
 */
public final class TestDeadlines {

    /** The system property holding the factor. */
    public static final String PROPERTY = "raftbus.test.timeFactor";
    /** The factor when the property is absent or blank. */
    public static final double DEFAULT_FACTOR = 1.0;

    private TestDeadlines() {
    }

    /** The configured factor; fails on a value that is not a positive number, so a typo does not go unnoticed. */
    public static double factor() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_FACTOR;
        }
        double factor;
        try {
            factor = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive number, not '" + value + "'", e);
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive number, not '" + value + "'");
        }
        return factor;
    }

    /** {@code base} multiplied by the factor. */
    public static Duration scaled(Duration base) {
        return Duration.ofNanos(Math.round(base.toNanos() * factor()));
    }

    /** {@code seconds} multiplied by the factor. */
    public static Duration seconds(long seconds) {
        return scaled(Duration.ofSeconds(seconds));
    }
}
