package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** memberlist awareness_test.go. */
class AwarenessTest {
    @Test
    void scoreIsClampedAndScalesTheTimeout() {
        Awareness a = new Awareness(8);
        int[][] steps = {{0, 0, 1}, {-1, 0, 1}, {-10, 0, 1}, {1, 1, 2}, {-1, 0, 1}, {10, 7, 8}, {-1, 6, 7}, {-1, 5, 6},
            {-1, 4, 5}, {-1, 3, 4}, {-1, 2, 3}, {-1, 1, 2}, {-1, 0, 1}, {-1, 0, 1}};
        for (int[] s : steps) {
            a.applyDelta(s[0]);
            assertEquals(s[1], a.score());
            assertEquals(Duration.ofSeconds(s[2]), a.scaleTimeout(Duration.ofSeconds(1)));
        }
    }

    @Test
    void maxOneNeverDegrades() {
        Awareness a = new Awareness(1);
        a.applyDelta(5);
        assertEquals(0, a.score());
        assertThrows(IllegalArgumentException.class, () -> new Awareness(0));
    }
}
