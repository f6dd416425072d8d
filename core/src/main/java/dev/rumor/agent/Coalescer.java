package dev.rumor.agent;

import dev.rumor.cluster.ClusterEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * serf's coalescing loop (serf/coalesce.go): events this coalescer handles are held until none arrived
 * for the quiescent period, or the coalesce period after the first one passed, then flushed together.
 * Subclasses decide which events they take and what a flush emits.
 *
 * <p>Thread contract: every method runs on the agent's single event thread ({@code exec}).
 */
abstract class Coalescer {
    private final ScheduledExecutorService exec;
    private final Duration coalescePeriod;
    private final Duration quiescentPeriod;
    private ScheduledFuture<?> coalesceTimer;
    private ScheduledFuture<?> quiescentTimer;

    Coalescer(ScheduledExecutorService exec, Duration coalescePeriod, Duration quiescentPeriod) {
        this.exec = exec;
        this.coalescePeriod = coalescePeriod;
        this.quiescentPeriod = quiescentPeriod;
    }

    /** Whether this coalescer takes the event (otherwise it passes through untouched). */
    abstract boolean handles(ClusterEvent e);

    abstract void coalesce(ClusterEvent e);

    abstract void flush(Consumer<ClusterEvent> out);

    /** Takes an event it {@link #handles}; {@code out} receives the flushed events later. */
    final void offer(ClusterEvent e, Consumer<ClusterEvent> out) {
        coalesce(e);
        if (coalesceTimer == null) {
            coalesceTimer = exec.schedule(() -> fire(out), coalescePeriod.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (quiescentTimer != null) {
            quiescentTimer.cancel(false);
        }
        quiescentTimer = exec.schedule(() -> fire(out), quiescentPeriod.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void fire(Consumer<ClusterEvent> out) {
        if (coalesceTimer != null) {
            coalesceTimer.cancel(false);
        }
        if (quiescentTimer != null) {
            quiescentTimer.cancel(false);
        }
        coalesceTimer = null;
        quiescentTimer = null;
        flush(out);
    }

    /** Emits whatever is pending now (shutdown). */
    final void drain(Consumer<ClusterEvent> out) {
        fire(out);
    }
}
