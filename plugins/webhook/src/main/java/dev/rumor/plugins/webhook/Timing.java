package dev.rumor.plugins.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The handler's view of time and chance: the wall clock for timestamps and query deadlines, the wait
 * between retries and the jitter. Tests substitute it so retry schedules are checked without waiting.
 * Thread contract: called from every worker thread at once.
 */
interface Timing {
    Instant now();

    /** Waits; must return early with InterruptedException when the thread is interrupted (close()). */
    void sleep(Duration d) throws InterruptedException;

    /** Uniform in [0, 1). */
    double random();

    Timing SYSTEM = new Timing() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            long nanos = d.toNanos();
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        }

        @Override
        public double random() {
            return ThreadLocalRandom.current().nextDouble();
        }
    };
}
