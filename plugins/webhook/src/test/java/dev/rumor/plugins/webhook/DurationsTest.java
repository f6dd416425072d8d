package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void goSyntax() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofNanos(1500), Durations.parse("1us500ns"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
    }

    @Test
    void refusesTheRest() {
        for (String bad : new String[] {"", "x", "10", "10 s", "-1s", "s", "1.5", "5sec", "1m30", "ms"}) {
            assertNull(Durations.parse(bad), bad);
        }
        assertNull(Durations.parse(null));
        assertNull(Durations.parse("999999999999h"), "overflow");
    }
}
