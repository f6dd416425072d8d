package dev.rumor.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    @Test
    void runsDueTasksInTimeThenSubmissionOrder() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> ran = new ArrayList<>();
        s.schedule(Duration.ofMillis(20), () -> ran.add("b"));
        s.schedule(Duration.ofMillis(10), () -> ran.add("a1"));
        s.schedule(Duration.ofMillis(10), () -> ran.add("a2"));
        s.execute(() -> ran.add("now"));
        s.runFor(Duration.ofMillis(15));
        assertEquals(List.of("now", "a1", "a2"), ran);
        assertEquals(15_000_000L, s.nanoTime());
        s.runFor(Duration.ofMillis(5));
        assertEquals(List.of("now", "a1", "a2", "b"), ran);
    }

    @Test
    void cancelledTasksNeverRunNorAdvanceTheClock() {
        VirtualScheduler s = new VirtualScheduler();
        List<String> ran = new ArrayList<>();
        Scheduler.Cancellable c = s.schedule(Duration.ofMillis(5), () -> ran.add("cancelled"));
        s.schedule(Duration.ofMillis(10), () -> ran.add("live"));
        c.cancel();
        c.cancel(); // idempotent
        assertEquals(1, s.pending());
        assertTrue(s.runUntil(() -> !ran.isEmpty(), Duration.ofSeconds(1)));
        assertEquals(List.of("live"), ran);
        assertEquals(10_000_000L, s.nanoTime());
        assertEquals(0, s.pending());
    }

    @Test
    void cancellingARanTaskIsANoOp() {
        VirtualScheduler s = new VirtualScheduler();
        int[] runs = new int[1];
        Scheduler.Cancellable c = s.schedule(Duration.ZERO, () -> runs[0]++);
        s.runFor(Duration.ofMillis(1));
        c.cancel();
        s.schedule(Duration.ofMillis(1), () -> runs[0]++);
        assertEquals(1, s.pending());
        s.runFor(Duration.ofMillis(1));
        assertEquals(2, runs[0]);
    }

    /**
     * The suspicion-timer pattern of a large simulation: a long timeout scheduled and cancelled soon after,
     * over and over. Cancelled timers must not pile up until they are due.
     */
    @Test
    void cancelledTimersArePurgedInsteadOfPilingUp() {
        VirtualScheduler s = new VirtualScheduler();
        int[] fired = new int[1];
        int maxQueued = 0;
        for (int i = 0; i < 100_000; i++) {
            Scheduler.Cancellable timeout = s.schedule(Duration.ofSeconds(60), () -> fired[0]++);
            s.schedule(Duration.ofMillis(1), timeout::cancel);
            s.runFor(Duration.ofMillis(1));
            maxQueued = Math.max(maxQueued, s.queuedIncludingCancelled());
        }
        assertEquals(0, s.pending());
        assertTrue(maxQueued <= 2 * VirtualScheduler.PURGE_THRESHOLD + 2, "queued at most " + maxQueued);
        s.runFor(Duration.ofSeconds(120));
        assertEquals(0, fired[0]);
        assertEquals(0, s.queuedIncludingCancelled());
    }
}
