package dev.rumor.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void exponentialCapDoublesUpToMax() {
        assertEquals(Duration.ofSeconds(1), p.exponentialCap(1));
        assertEquals(Duration.ofSeconds(2), p.exponentialCap(2));
        assertEquals(Duration.ofSeconds(32), p.exponentialCap(6));
        assertEquals(Duration.ofSeconds(60), p.exponentialCap(7));
        assertEquals(Duration.ofSeconds(60), p.exponentialCap(1000));
    }

    @Test
    void fullJitterIsUniformBelowTheCap() {
        assertEquals(Duration.ZERO, p.backoff(3, 0.0, null));
        assertEquals(Duration.ofSeconds(2), p.backoff(3, 0.5, null));
        assertEquals(Duration.ofMillis(3996), p.backoff(3, 0.999, null));
    }

    @Test
    void retryAfterIsALowerBoundCappedByMaxBackoff() {
        assertEquals(Duration.ofSeconds(7), p.backoff(1, 0.5, Duration.ofSeconds(7)));
        assertEquals(Duration.ofSeconds(2), p.backoff(3, 0.5, Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(60), p.backoff(1, 0.5, Duration.ofHours(1)));
    }

    @Test
    void retryAfterHeader() {
        Instant now = Instant.parse("2026-11-27T09:30:00Z");
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse(" 120 ", now));
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Fri, 27 Nov 2026 09:30:30 GMT", now));
        assertEquals(Duration.ZERO, RetryAfter.parse("Fri, 27 Nov 2026 09:00:00 GMT", now));
        assertNull(RetryAfter.parse("soon", now));
        assertNull(RetryAfter.parse("-5", now));
        assertNull(RetryAfter.parse(null, now));
    }
}
