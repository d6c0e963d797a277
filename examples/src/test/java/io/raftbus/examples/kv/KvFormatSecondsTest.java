package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Timeouts and waits are shown in the unit the user gave them in: seconds. */
class KvFormatSecondsTest {

    @Test
    void secondsAreWholeOrTenthsAndSubSecondValuesKeepTheirDigits() {
        assertEquals("5 s", KvFormat.seconds(Duration.ofSeconds(5)));
        assertEquals("2.5 s", KvFormat.seconds(Duration.ofMillis(2500)));
        assertEquals("10.1 s", KvFormat.seconds(Duration.ofMillis(10_067)));
        assertEquals("0.25 s", KvFormat.seconds(Duration.ofMillis(250)));
        assertEquals("0 s", KvFormat.seconds(Duration.ZERO));
    }
}
