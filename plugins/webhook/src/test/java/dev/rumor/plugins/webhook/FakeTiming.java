package dev.rumor.plugins.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real wall clock, but retry waits are recorded instead of slept, and the jitter is always one half. */
final class FakeTiming implements Timing {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(d);
    }

    @Override
    public double random() {
        return 0.5;
    }
}
