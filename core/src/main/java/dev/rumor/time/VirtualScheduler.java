package dev.rumor.time;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Deterministic virtual time for simulations and tests: nothing runs until the caller advances time
 * with {@link #runFor} / {@link #runUntil}; tasks due at the same instant run in submission order.
 * Lives in main code (not test) so benchmarks can run the same simulations.
 *
 * <p>Cancelled tasks are dropped from the queue lazily: once they make up more than half of it (and at least
 * {@value #PURGE_THRESHOLD}), the whole queue is rebuilt without them in one O(n) pass, so a simulation that
 * cancels most of its timers (suspicion timeouts, probe deadlines) keeps only live tasks queued. A cancelled
 * task never runs and never advances the clock, whether or not it has been purged yet.
 *
 * <p>Thread contract: not thread-safe. One simulation drives it from one thread.
 */
public final class VirtualScheduler implements Scheduler, Clock {
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;
    /** Below this many cancelled tasks a purge is not worth its O(n) pass. */
    static final int PURGE_THRESHOLD = 1024;

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    /** Cancelled tasks still in {@link #queue}. */
    private int cancelledQueued;

    @Override
    public Clock clock() {
        return this;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + now / 1_000_000L;
    }

    @Override
    public void execute(Runnable task) {
        enqueue(now, task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task t = enqueue(now + Math.max(0, delay.toNanos()), task);
        return () -> cancel(t);
    }

    private void cancel(Task t) {
        if (t.cancelled || t.done) {
            return;
        }
        t.cancelled = true;
        cancelledQueued++;
        if (cancelledQueued >= PURGE_THRESHOLD && cancelledQueued > queue.size() / 2) {
            queue.removeIf(q -> q.cancelled);
            cancelledQueued = 0;
        }
    }

    private Task enqueue(long at, Runnable r) {
        Task t = new Task(at, seq++, r);
        queue.add(t);
        return t;
    }

    /** Runs every task due within the next {@code d} of virtual time, then sets the clock to now + d. */
    public void runFor(Duration d) {
        long end = now + d.toNanos();
        runUntilTime(end);
    }

    /** Runs tasks until {@code condition} holds (checked after each task) or {@code limit} of virtual time passes. */
    public boolean runUntil(java.util.function.BooleanSupplier condition, Duration limit) {
        long end = now + limit.toNanos();
        while (!condition.getAsBoolean()) {
            Task t = peekLive();
            if (t == null || t.at > end) {
                now = end;
                return condition.getAsBoolean();
            }
            runOne();
        }
        return true;
    }

    private void runUntilTime(long end) {
        while (true) {
            Task t = peekLive();
            if (t == null || t.at > end) {
                break;
            }
            runOne();
        }
        now = end;
    }

    /** Polls the next live task, discarding cancelled ones on the way; null when none is left. */
    private Task peekLive() {
        Task t = queue.peek();
        while (t != null && t.cancelled) {
            queue.poll();
            cancelledQueued--;
            t = queue.peek();
        }
        return t;
    }

    private void runOne() {
        Task t = queue.poll();
        t.done = true;
        if (t.at > now) {
            now = t.at;
        }
        t.task.run();
    }

    /** Number of pending tasks, cancelled ones excluded; useful for leak checks in tests. */
    public int pending() {
        return queue.size() - cancelledQueued;
    }

    /** Queue length including cancelled tasks not purged yet (memory checks in tests). */
    int queuedIncludingCancelled() {
        return queue.size();
    }

    private static final class Task implements Comparable<Task> {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;
        /** Polled (ran or is running): a later cancel is a no-op. */
        boolean done;

        Task(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
