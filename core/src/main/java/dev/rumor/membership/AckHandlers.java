package dev.rumor.membership;

import dev.rumor.time.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Pending probes by sequence number: who to tell when an ack or nack with that number arrives, and
 * the expiry after which it is forgotten (memberlist {@code ackHandlers}).
 *
 * <p>Thread contract: protocol thread only.
 */
final class AckHandlers {
    /** Called with the ack payload and the receive time on the protocol clock. */
    interface OnAck {
        void ack(byte[] payload, long receivedNanos);
    }

    private final Scheduler scheduler;
    private final Map<Long, Entry> handlers = new HashMap<>();
    private long seq;

    AckHandlers(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Next sequence number, wrapping as an unsigned 32-bit counter like the wire field. */
    long nextSeqNo() {
        seq = (seq + 1) & 0xffffffffL;
        return seq;
    }

    /**
     * @param onNack  may be null
     * @param onExpiry run if no ack came within {@code timeout}; may be null
     */
    void register(long seqNo, OnAck onAck, Runnable onNack, Duration timeout, Runnable onExpiry) {
        Entry e = new Entry(onAck, onNack);
        handlers.put(seqNo, e);
        e.timer = scheduler.schedule(timeout, () -> {
            if (handlers.get(seqNo) == e) {
                handlers.remove(seqNo);
                if (onExpiry != null) {
                    onExpiry.run();
                }
            }
        });
    }

    void ack(long seqNo, byte[] payload, long receivedNanos) {
        Entry e = handlers.remove(seqNo);
        if (e == null) {
            return;
        }
        e.timer.cancel();
        e.onAck.ack(payload, receivedNanos);
    }

    void nack(long seqNo) {
        Entry e = handlers.get(seqNo);
        if (e != null && e.onNack != null) {
            e.onNack.run();
        }
    }

    void clear() {
        for (Entry e : handlers.values()) {
            e.timer.cancel();
        }
        handlers.clear();
    }

    private static final class Entry {
        final OnAck onAck;
        final Runnable onNack;
        Scheduler.Cancellable timer;

        Entry(OnAck onAck, Runnable onNack) {
            this.onAck = onAck;
            this.onNack = onNack;
        }
    }
}
