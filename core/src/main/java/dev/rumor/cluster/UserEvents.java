package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User events, both ends (wire-protocol §7.6): the event clock, the de-duplication ring and delivery.
 * Sending checks the size limits, stamps the event with the clock (then increments it), delivers it
 * locally and hands the encoded message to gossip. Receiving witnesses the clock and delivers only new
 * events.
 *
 * <p>Thread contract: not thread-safe; protocol thread.
 */
final class UserEvents {
    private static final Logger LOG = LoggerFactory.getLogger(UserEvents.class);

    private final LamportClock clock;
    private final UserEventBuffer buffer;
    private final Consumer<ClusterEvent> sink;

    UserEvents(LamportClock clock, UserEventBuffer buffer, Consumer<ClusterEvent> sink) {
        this.clock = clock;
        this.buffer = buffer;
        this.sink = sink;
    }

    LamportClock clock() {
        return clock;
    }

    UserEventBuffer buffer() {
        return buffer;
    }

    /**
     * @return the encoded message to gossip
     * @throws IllegalArgumentException with serf's message when a size limit is exceeded
     */
    byte[] send(String name, byte[] payload, boolean coalesce, int sizeLimit) {
        SerfMessage.UserEvent e = new SerfMessage.UserEvent(clock.time(), name, payload, coalesce);
        byte[] raw = ClusterMath.checkedUserEvent(e, sizeLimit);
        clock.increment();
        receive(e);
        return raw;
    }

    /** @return true if the event was new (delivered; re-gossip it) */
    boolean receive(SerfMessage.UserEvent e) {
        clock.witness(e.ltime());
        Admission a = buffer.offer(e.ltime(), e.name(), e.payload(), clock.time());
        if (a == Admission.TOO_OLD) {
            LOG.warn("received old event {} from time {} (current: {})", e.name(), e.ltime(), clock.time());
        }
        if (!a.isNew()) {
            return false;
        }
        sink.accept(new ClusterEvent.UserEvent(e.ltime(), e.name(), e.payload(), e.coalesce()));
        return true;
    }

    /** The ring in push/pull form. */
    List<SerfMessage.EventSlot> slots() {
        List<SerfMessage.EventSlot> out = new ArrayList<>();
        for (UserEventBuffer.Slot s : buffer.slots()) {
            if (s == null) {
                out.add(null);
                continue;
            }
            List<SerfMessage.EventEntry> entries = new ArrayList<>();
            for (UserEventBuffer.Entry e : s.events()) {
                entries.add(new SerfMessage.EventEntry(e.name(), e.payload()));
            }
            out.add(new SerfMessage.EventSlot(s.ltime(), entries));
        }
        return out;
    }
}
