package dev.rumor.plugins.chef;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The handler's sources of time and chance, injectable so the splay test need not wait 30 seconds.
 *
 * @param clock    wall clock for the timestamps in run results
 * @param nanoTime monotonic clock for the lock wait's deadline
 * @param sleeper  the splay delay and the lock poll interval; must honour interrupts
 * @param random   source of the splay delay
 */
record Timing(Clock clock, LongSupplier nanoTime, Sleeper sleeper, RandomGenerator random) {

    /** Blocks the run thread; an interrupt (handler closed) ends the wait with {@link InterruptedException}. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static Timing system() {
        return new Timing(Clock.systemUTC(), System::nanoTime, d -> Thread.sleep(d.toMillis()), new Random());
    }

    /** A delay drawn uniformly from [0, max] in whole milliseconds; zero when {@code max} is zero. */
    static Duration splay(Duration max, RandomGenerator random) {
        long ms = max.toMillis();
        return ms <= 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(ms + 1));
    }
}
