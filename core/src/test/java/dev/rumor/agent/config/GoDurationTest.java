package dev.rumor.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "30s, 30000",
        "500ms, 500",
        "1h30m, 5400000",
        "1.5s, 1500",
        "2m, 120000",
        "24h, 86400000",
        "0, 0",
        "1h0m0s, 3600000",
        "-1s, -1000"
    })
    void parsesGoSyntax(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), GoDuration.parse(text).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "30", "1x", "s", "1h 30m", "--1s"})
    void rejectsOthers(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
        assertEquals(true, e.getMessage().contains("invalid duration"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"86400000, 24h0m0s", "30000, 30s", "500, 500ms", "90000, 1m30s"})
    void formatsLikeGo(long millis, String text) {
        assertEquals(text, GoDuration.format(Duration.ofMillis(millis)));
    }
}
