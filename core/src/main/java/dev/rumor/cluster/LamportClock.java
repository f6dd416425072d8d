package dev.rumor.cluster;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lamport logical clock (serf {@code lamport.go}). Serf keeps three independent ones: member
 * intents, user events and queries. Values are unsigned 64-bit on the wire; they never get near the
 * sign bit in practice, so they are held in a {@code long}.
 *
 * <p>Rules: {@link #time()} reads; {@link #increment()} adds one and returns the new value;
 * {@link #witness(long)} of a value {@code v >= current} moves the clock to {@code v + 1} (a smaller
 * value changes nothing). So after witnessing its own message's time a node's clock is strictly later.
 *
 * <p>Thread contract: lock-free and safe from any thread.
 */
public final class LamportClock {
    private final AtomicLong counter = new AtomicLong();

    public long time() {
        return counter.get();
    }

    /** @return the new value */
    public long increment() {
        return counter.incrementAndGet();
    }

    public void witness(long v) {
        counter.accumulateAndGet(v, (cur, other) -> Long.compareUnsigned(other, cur) >= 0 ? other + 1 : cur);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(counter.get());
    }
}
