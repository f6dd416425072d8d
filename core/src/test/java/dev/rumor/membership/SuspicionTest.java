package dev.rumor.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rumor.time.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** memberlist suspicion_test.go, on virtual time: no sleeps, exact instants. */
class SuspicionTest {
    private static final Duration MIN = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(2);
    private static final Duration STEP = Duration.ofMillis(25);

    private final VirtualScheduler sched = new VirtualScheduler();
    private final List<long[]> fired = new ArrayList<>();

    private Suspicion start(int k, Duration min, Duration max) {
        long t0 = sched.nanoTime();
        return new Suspicion("me", k, min, max, sched, n -> fired.add(new long[] {n, sched.nanoTime() - t0}));
    }

    private void check(String[] confirmFrom, boolean[] newInfo, int expectedN, Duration expected) {
        fired.clear();
        Suspicion s = start(3, MIN, MAX);
        for (int i = 0; i < confirmFrom.length; i++) {
            sched.runFor(STEP);
            assertEquals(newInfo[i], s.confirm(confirmFrom[i]), "confirm " + confirmFrom[i]);
        }
        long elapsed = STEP.toNanos() * confirmFrom.length;
        sched.runFor(Duration.ofNanos(expected.toNanos() - elapsed - 1));
        assertTrue(fired.isEmpty(), "must not fire before " + expected);
        sched.runFor(Duration.ofNanos(1));
        assertEquals(1, fired.size(), "must fire at " + expected);
        assertEquals(expectedN, fired.get(0)[0]);
        assertEquals(expected.toNanos(), fired.get(0)[1]);
        // A late confirmation after firing neither fires again nor counts.
        assertFalse(s.confirm("late"));
        sched.runFor(MAX.multipliedBy(2));
        assertEquals(1, fired.size());
    }

    @Test
    void noConfirmationsRunsToMax() {
        check(new String[0], new boolean[0], 0, MAX);
    }

    @Test
    void accuserDoesNotCountAndDuplicatesAreIgnored() {
        check(new String[] {"me", "foo", "foo", "foo"}, new boolean[] {false, true, false, false}, 1, Duration.ofMillis(1250));
    }

    @Test
    void twoConfirmationsShrinkLogarithmically() {
        check(new String[] {"me", "foo", "bar"}, new boolean[] {false, true, true}, 2, Duration.ofMillis(811));
    }

    @Test
    void kConfirmationsReachMinAndFurtherOnesAreNotNews() {
        check(new String[] {"me", "foo", "bar", "baz", "zoo"}, new boolean[] {false, true, true, true, false}, 3, MIN);
    }

    @Test
    void zeroKStartsAtMinAndIgnoresConfirmations() {
        Suspicion s = start(0, Duration.ofMillis(25), Duration.ofSeconds(30));
        assertFalse(s.confirm("foo"));
        sched.runFor(Duration.ofMillis(24));
        assertTrue(fired.isEmpty());
        sched.runFor(Duration.ofMillis(1));
        assertEquals(1, fired.size());
    }

    @Test
    void confirmationAfterTheShrunkTimeoutElapsedFiresImmediately() {
        Suspicion s = start(1, Duration.ofMillis(100), Duration.ofSeconds(30));
        sched.runFor(Duration.ofMillis(200));
        assertTrue(fired.isEmpty());
        assertTrue(s.confirm("foo"));
        sched.runFor(Duration.ZERO);
        assertEquals(1, fired.size());
        assertEquals(Duration.ofMillis(200).toNanos(), fired.get(0)[1]);
    }

    @Test
    void cancelStopsTheTimer() {
        Suspicion s = start(3, MIN, MAX);
        s.cancel();
        sched.runFor(MAX.multipliedBy(2));
        assertTrue(fired.isEmpty());
        assertFalse(s.confirm("foo"));
    }
}
