package dev.rumor.agent.plugin;

import dev.rumor.plugin.EventHandler;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live handler instance: a bounded FIFO queue drained by its own worker thread(s), so a slow or hung
 * handler only ever delays itself.
 *
 * <p>Thread contract: {@link #offer} is called by the dispatcher (never blocks); {@link #start} and
 * {@link #retire} by the host. Each call to the handler runs on a worker thread, watched by the shared
 * watchdog: after {@code slowAfter} it logs a warning (serf's {@code warnSlow}), after the spec's timeout it
 * interrupts the worker. Every failure is caught here, counted and logged; nothing escapes a worker.
 */
final class HandlerInstance {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    /** Marks the end of the queue for one worker when the instance retires. */
    private static final Object STOP = new Object();

    private final HandlerSpec spec;
    private final String pluginId;
    private final EventHandler handler;
    private final ScheduledExecutorService watchdog;
    private final Duration slowAfter;
    private final BlockingQueue<Object> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong slow = new AtomicLong();

    HandlerInstance(HandlerSpec spec, String pluginId, EventHandler handler, ScheduledExecutorService watchdog,
                    Duration slowAfter) {
        this.spec = spec;
        this.pluginId = pluginId;
        this.handler = handler;
        this.watchdog = watchdog;
        this.slowAfter = slowAfter;
        this.queue = new ArrayBlockingQueue<>(spec.queueSize());
    }

    HandlerSpec spec() {
        return spec;
    }

    String name() {
        return spec.name();
    }

    String pluginId() {
        return pluginId;
    }

    /** Completes when the instance has retired: queue drained, workers exited, handler closed. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Starts the workers. They wait for {@code predecessor} (the retiring instance of the same name, if any)
     * so a re-created instance never overtakes events its predecessor still holds; at most one timeout.
     */
    void start(CompletableFuture<Void> predecessor) {
        ClassLoader pluginLoader = handler.getClass().getClassLoader();
        for (int i = 0; i < spec.concurrency(); i++) {
            String threadName = "rumor-handler-" + spec.name() + (spec.concurrency() > 1 ? "-" + i : "");
            Thread t = new Thread(() -> workerLoop(predecessor), threadName);
            t.setDaemon(true);
            t.setContextClassLoader(pluginLoader);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /** Enqueues without blocking. A full queue drops the event, counts it and logs it. */
    boolean offer(Event event) {
        if (queue.offer(event)) {
            return true;
        }
        long n = dropped.incrementAndGet();
        // Log the 1st, 2nd, 4th, 8th ... and every 1000th drop: never silent, never a log flood.
        if (Long.bitCount(n) == 1 || n % 1000 == 0) {
            LOG.warn("handler '{}' ({}): queue full ({} events), dropped {}; {} dropped so far",
                    spec.name(), spec.type(), spec.queueSize(), describe(event), n);
        }
        return false;
    }

    private void workerLoop(CompletableFuture<Void> predecessor) {
        if (predecessor != null && !predecessor.isDone()) {
            try {
                predecessor.get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("handler '{}': previous instance still busy after {}; starting anyway", spec.name(),
                        text(spec.timeout()));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        while (true) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                // Only a stray timeout interrupt can land here; it is cleared, keep draining.
                continue;
            }
            if (item == STOP) {
                return;
            }
            runOne((Event) item);
        }
    }

    private void runOne(Event event) {
        inFlight.incrementAndGet();
        Call call = new Call(Thread.currentThread());
        ScheduledFuture<?> slowTimer = watchdog.schedule(() -> {
            slow.incrementAndGet();
            LOG.warn("handler '{}' ({}) slow, execution exceeding {} ({})", spec.name(), spec.type(),
                    text(slowAfter), describe(event));
        }, slowAfter.toNanos(), TimeUnit.NANOSECONDS);
        ScheduledFuture<?> timeoutTimer = watchdog.schedule(call::timeout, spec.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
        Throwable failure = null;
        try {
            handler.handle(event);
        } catch (Throwable t) {
            failure = t;
        } finally {
            boolean timedOut = call.finish();
            slowTimer.cancel(false);
            timeoutTimer.cancel(false);
            Thread.interrupted(); // a timeout interrupt must not leak into the next call
            runs.incrementAndGet();
            inFlight.decrementAndGet();
            if (timedOut) {
                timeouts.incrementAndGet();
                LOG.warn("handler '{}' ({}) timed out after {} on {} and was interrupted{}", spec.name(),
                        spec.type(), text(spec.timeout()), describe(event),
                        failure == null ? "" : ": " + failure);
            } else if (failure != null) {
                failures.incrementAndGet();
                if (failure instanceof RuntimeException || failure instanceof Error) {
                    LOG.error("handler '{}' ({}) failed on {}", spec.name(), spec.type(), describe(event), failure);
                } else {
                    LOG.error("handler '{}' ({}) failed on {}: {}", spec.name(), spec.type(), describe(event),
                            failure.toString());
                }
            }
        }
    }

    /**
     * Stops the instance after the events already queued are handled, then closes the handler. The caller
     * guarantees that nothing is offered any more (the dispatcher no longer lists this instance). Runs on
     * its own thread because a full queue of a slow handler may take long to drain.
     */
    CompletableFuture<Void> retire() {
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < workers.size(); i++) {
                    queue.put(STOP);
                }
                for (Thread w : workers) {
                    w.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    handler.close();
                } catch (Throwable e) {
                    LOG.warn("handler '{}' ({}): close failed: {}", spec.name(), spec.type(), e.toString());
                }
                terminated.complete(null);
            }
        }, "rumor-handler-retire-" + spec.name());
        t.setDaemon(true);
        t.setContextClassLoader(HandlerInstance.class.getClassLoader());
        t.start();
        return terminated;
    }

    /** Closes a handler that was created but never started (a reload that failed later). */
    void discard() {
        try {
            handler.close();
        } catch (Throwable e) {
            LOG.warn("handler '{}' ({}): close failed: {}", spec.name(), spec.type(), e.toString());
        }
        terminated.complete(null);
    }

    InstanceStats stats() {
        return new InstanceStats(spec.name(), spec.type(), pluginId, countEvents(), spec.queueSize(), inFlight.get(),
                runs.get(), failures.get(), timeouts.get(), dropped.get(), slow.get());
    }

    private int countEvents() {
        int n = 0;
        for (Object o : queue) {
            if (o != STOP) {
                n++;
            }
        }
        return n;
    }

    /** Go's spelling ("1s", "250ms", "1m30s"), as serf's log lines show durations. */
    static String text(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        StringBuilder sb = new StringBuilder();
        if (d.toHours() > 0) {
            sb.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || d.toMillisPart() > 0) {
            sb.append(d.toSecondsPart());
            if (d.toMillisPart() > 0) {
                sb.append('.').append(String.format("%03d", d.toMillisPart()).replaceAll("0+$", ""));
            }
            sb.append('s');
        }
        return sb.toString();
    }

    static String describe(Event e) {
        if (e instanceof UserEvent u) {
            return "user event '" + u.name() + "' (ltime " + u.ltime() + ")";
        }
        if (e instanceof QueryEvent q) {
            return "query '" + q.name() + "' (ltime " + q.ltime() + ")";
        }
        return e.type().wireName() + " event";
    }

    /** One handler call, so the watchdog interrupts exactly this call and never a later one. */
    private static final class Call {
        private final Thread thread;
        private boolean done;
        private boolean timedOut;

        Call(Thread thread) {
            this.thread = thread;
        }

        synchronized void timeout() {
            if (!done) {
                timedOut = true;
                thread.interrupt();
            }
        }

        /** @return whether the call had timed out */
        synchronized boolean finish() {
            done = true;
            return timedOut;
        }
    }
}
