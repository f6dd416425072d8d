package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocolMathTest {

    /** memberlist util_test.go TestSuspicionTimeout (mult 3, interval 1 s, divided by 3), plus LAN values. */
    @ParameterizedTest
    @CsvSource({
        "3, 5, 1000, 3000",
        "3, 10, 1000, 3000",
        "3, 50, 1000, 5094",
        "3, 100, 1000, 6000",
        "3, 500, 1000, 8094",
        "3, 1000, 1000, 9000",
        "4, 0, 1000, 4000",
        "4, 1, 1000, 4000",
        "4, 3, 1000, 4000",
        "4, 100, 1000, 8000",
        "6, 100, 5000, 60000",
    })
    void suspicionTimeout(int mult, int n, long intervalMs, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs), ProtocolMath.suspicionTimeout(mult, n, Duration.ofMillis(intervalMs)));
    }

    @ParameterizedTest
    @CsvSource({
        "3, 0, 0",
        "3, 1, 3",
        "3, 99, 6",
        "4, 2, 4",
        "4, 9, 4",
        "4, 10, 8",
        "4, 100, 12",
        "2, 1000, 8",
    })
    void retransmitLimit(int mult, int n, int expected) {
        assertEquals(expected, ProtocolMath.retransmitLimit(mult, n));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1", "1, 1", "32, 1", "33, 2", "64, 2", "65, 3", "128, 3", "129, 4", "1000, 6",
    })
    void pushPullScale(int n, long multiple) {
        Duration base = Duration.ofSeconds(30);
        assertEquals(base.multipliedBy(multiple), ProtocolMath.pushPullScale(base, n));
    }

    /** memberlist suspicion_test.go TestSuspicion_remainingSuspicionTime, as totals from the start. */
    @ParameterizedTest
    @CsvSource({
        "0, 3, 30000",
        "1, 3, 16000",
        "2, 3, 7810",
        "3, 3, 2000",
        "4, 3, 2000",
        "5, 3, 2000",
    })
    void suspicionTimeoutAfterConfirmations(int n, int k, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs),
                ProtocolMath.suspicionTimeoutAfter(n, k, Duration.ofSeconds(2), Duration.ofSeconds(30)));
    }

    @org.junit.jupiter.api.Test
    void detectionBoundsForTheLanProfile() {
        MembershipConfig lan = MembershipConfig.lan("x");
        // 100 nodes: first suspicion within 2 × 99 + 1 probes; then max suspicion 6 × 8 s plus 12 × 200 ms.
        assertEquals(Duration.ofSeconds(199), ProtocolMath.firstSuspicionBound(lan, 100));
        assertEquals(Duration.ofMillis(48_000 + 2_400), ProtocolMath.suspicionToDeadBound(lan, 100));
        // 5 nodes: min 4 s, max 24 s, retransmit limit 4 × 1.
        assertEquals(Duration.ofMillis(24_000 + 800), ProtocolMath.suspicionToDeadBound(lan, 5));
    }
}
