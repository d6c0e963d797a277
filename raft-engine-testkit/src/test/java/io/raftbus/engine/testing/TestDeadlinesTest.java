package io.raftbus.engine.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestDeadlinesTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(TestDeadlines.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(TestDeadlines.PROPERTY);
        } else {
            System.setProperty(TestDeadlines.PROPERTY, saved);
        }
    }

    @Test
    void withoutThePropertyDeadlinesAreTheirBaseValues() {
        System.clearProperty(TestDeadlines.PROPERTY);
        assertEquals(Duration.ofSeconds(30), TestDeadlines.seconds(30));
    }

    @Test
    void theFactorScalesEveryDeadline() {
        System.setProperty(TestDeadlines.PROPERTY, "2.5");
        assertEquals(Duration.ofSeconds(75), TestDeadlines.seconds(30));
        assertEquals(Duration.ofMillis(250), TestDeadlines.scaled(Duration.ofMillis(100)));
    }

    @Test
    void aFactorThatIsNotAPositiveNumberIsRejected() {
        for (String bad : new String[] {"0", "-1", "fast", "NaN", "Infinity"}) {
            System.setProperty(TestDeadlines.PROPERTY, bad);
            assertThrows(IllegalArgumentException.class, TestDeadlines::factor, bad);
        }
    }
}
