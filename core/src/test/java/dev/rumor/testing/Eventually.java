package dev.rumor.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling for tests that observe real processes or sockets (cf. serf's {@code testutil/retry}): the
 * condition is checked every few milliseconds until it holds or the deadline passes, so a test waits only as
 * long as it must and never sleeps a fixed time.
 */
public final class Eventually {
    private static final long MAX_PAUSE_MILLIS = 100;

    private Eventually() {
    }

    /**
     * @param describe called once on failure, to say what was observed instead
     * @throws AssertionError if {@code condition} did not hold within {@code timeout}
     */
    public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
        if (!poll(timeout, condition)) {
            throw new AssertionError("Condition not met within " + timeout + ": " + describe.get());
        }
    }

    /** Like {@link #await} but reports instead of failing. */
    public static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }
}
