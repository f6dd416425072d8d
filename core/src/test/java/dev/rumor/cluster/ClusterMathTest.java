package dev.rumor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rumor.cluster.wire.SerfMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClusterMathTest {

    @ParameterizedTest(name = "n={0} → {1} ms")
    @CsvSource({"1,3200", "2,3200", "9,3200", "10,6400", "99,6400", "100,9600", "999,9600", "1000,12800", "0,0"})
    void defaultQueryTimeoutLan(int n, long millis) {
        assertEquals(Duration.ofMillis(millis), ClusterMath.defaultQueryTimeout(Duration.ofMillis(200), 16, n));
    }

    @Test
    void userEventLimitsUseSerfsMessages() {
        byte[] p = "x".repeat(508).getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterMath.checkedUserEvent(new SerfMessage.UserEvent(1, "abcde", p, true), 512));
        assertEquals("user event exceeds configured limit of 512 bytes before encoding", e.getMessage());
        byte[] fits = "x".repeat(500).getBytes(StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class,
                () -> ClusterMath.checkedUserEvent(new SerfMessage.UserEvent(1, "abcde", fits, true), 512));
        assertEquals("encoded user event exceeds configured limit of 512 bytes after encoding", e.getMessage());
        byte[] big = new byte[9300];
        e = assertThrows(IllegalArgumentException.class,
                () -> ClusterMath.checkedUserEvent(new SerfMessage.UserEvent(1, "e", big, true), 100_000));
        assertEquals("user event exceeds sane limit of 9216 bytes before encoding", e.getMessage());
        assertEquals(3, ClusterMath.checkedUserEvent(new SerfMessage.UserEvent(1, "e", null, true), 512)[0]);
    }

    @Test
    void queryAndResponseLimits() {
        byte[] big = new byte[1000];
        SerfMessage.Query q = new SerfMessage.Query(1, 1, new byte[4], 1, "n", null, 0, 0, Duration.ZERO, "q", big);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterMath.checkedQuery(q, 1024));
        assertEquals("query exceeds limit of 1024 bytes", e.getMessage());
        SerfMessage.QueryResponse r = new SerfMessage.QueryResponse(1, 1, "n", 0, new byte[1024]);
        e = assertThrows(IllegalArgumentException.class, () -> ClusterMath.checkedResponse(r, 1024));
        assertEquals("response exceeds limit of 1024 bytes", e.getMessage());
        SerfMessage.QueryResponse ok = new SerfMessage.QueryResponse(1, 1, "n", 0, new byte[900]);
        assertEquals(5, ClusterMath.checkedResponse(ok, 1024)[0]);
    }
}
