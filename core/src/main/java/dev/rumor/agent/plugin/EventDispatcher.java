package dev.rumor.agent.plugin;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of the event pipeline: fans each event out to the handler instances whose filter accepts
 * it (serf's agent {@code eventLoop} over a copy-on-write handler list).
 *
 * <p>Thread contract: {@link #dispatch} may be called from any thread, typically the agent's event thread;
 * it never blocks on a handler: it only filters and enqueues into each instance's bounded queue (a full
 * queue drops and counts). A reload swaps the instance list under a write lock held for a pointer
 * assignment, so an event is delivered either to the old set (which drains it) or to the new one, never lost
 * and never to both.
 */
public final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final ClusterView view;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private List<HandlerInstance> instances = List.of(); // guarded by lock
    private final AtomicLong dispatched = new AtomicLong();

    EventDispatcher(ClusterView view) {
        this.view = view;
    }

    /** Hands {@code event} to every matching instance and returns at once. */
    public void dispatch(Event event) {
        dispatched.incrementAndGet();
        lock.readLock().lock();
        try {
            Member self = null;
            boolean selfLoaded = false;
            for (HandlerInstance inst : instances) {
                EventFilter filter = inst.spec().filter();
                int n = filter.deliveries(event);
                if (n == 0) {
                    continue;
                }
                if (!selfLoaded && !filter.localTags().isEmpty()) {
                    self = safeSelf();
                    selfLoaded = true;
                }
                Optional<Event> selected = filter.select(event, self);
                if (selected.isEmpty()) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    inst.offer(selected.get());
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Events passed to {@link #dispatch} since the host started. */
    public long dispatchedCount() {
        return dispatched.get();
    }

    private Member safeSelf() {
        try {
            return view.self();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the local member for handler tag filters: {}", e.toString());
            return null;
        }
    }

    /** Installs a new instance list; after it returns, no dispatch will touch the previous list. */
    void swap(List<HandlerInstance> next) {
        lock.writeLock().lock();
        try {
            instances = List.copyOf(next);
        } finally {
            lock.writeLock().unlock();
        }
    }

    List<HandlerInstance> instances() {
        lock.readLock().lock();
        try {
            return instances;
        } finally {
            lock.readLock().unlock();
        }
    }
}
