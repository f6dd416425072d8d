package dev.rumor.plugins.haproxy;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.HandlerContext;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.MemberEvent;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Keeps HAProxy backends equal to the alive members. All work happens on one thread owned by this
 * instance: a pass runs at start, every {@code reconcile_interval}, soon after any member event, while a
 * drain or hold-down is pending, and with exponential backoff (1s doubling, capped at the interval) after a
 * failure. {@link #handle} only nudges that thread, so it returns at once; events carry no information the
 * pass needs, because a pass reads the member list itself.
 *
 * <p>Thread contract: {@link #handle} and {@link #close} may be called from any thread.
 */
final class HaproxyHandler implements EventHandler {
    private static final long MIN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log;
    private final Reconciler reconciler;
    private final long intervalNanos;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicLong passesDone = new AtomicLong();
    // Worker-thread only:
    private ScheduledFuture<?> next;
    private long backoffNanos;

    HaproxyHandler(HaproxySettings settings, HandlerContext context) {
        this.log = context.logger();
        this.reconciler = new Reconciler(settings, context, System::nanoTime);
        this.intervalNanos = settings.reconcileInterval().toNanos();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rumor-haproxy-" + context.instanceName());
            t.setDaemon(true);
            return t;
        });
        requestPass();
    }

    @Override
    public void handle(Event event) {
        if (event instanceof MemberEvent) {
            requestPass();
        }
    }

    /** Runs a pass as soon as the worker is free; many requests while one is queued make one pass. */
    void requestPass() {
        if (passQueued.compareAndSet(false, true)) {
            try {
                worker.execute(this::pass);
            } catch (RejectedExecutionException e) {
                passQueued.set(false); // closed
            }
        }
    }

    private void pass() {
        passQueued.set(false);
        if (next != null) {
            next.cancel(false);
        }
        long delay;
        try {
            Reconciler.Pass result = reconciler.run();
            if (result.ok()) {
                backoffNanos = 0;
                delay = intervalNanos;
            } else {
                backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(backoffNanos * 2, intervalNanos);
                delay = Math.min(backoffNanos, intervalNanos);
                log.info("haproxy: retrying in {} ms", TimeUnit.NANOSECONDS.toMillis(delay));
            }
            if (result.wakeAt() != null) {
                delay = Math.max(0, Math.min(delay, result.wakeAt() - System.nanoTime()));
            }
        } catch (RuntimeException e) {
            log.error("haproxy: reconciliation failed unexpectedly", e);
            backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(backoffNanos * 2, intervalNanos);
            delay = backoffNanos;
        }
        passesDone.incrementAndGet();
        try {
            next = worker.schedule(this::pass, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed while the pass ran
        }
    }

    /** Passes finished so far (success or not); lets tests wait for "a pass after X" without sleeping. */
    long passesDone() {
        return passesDone.get();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("haproxy: worker did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
