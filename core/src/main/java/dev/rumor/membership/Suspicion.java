package dev.rumor.membership;

import dev.rumor.time.Scheduler;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Lifeguard's dynamic suspicion timeout for one suspected node (memberlist {@code suspicion.go}).
 *
 * <p>The timer starts at {@code max} when {@code k ≥ 1} independent confirmations are expected and at
 * {@code min} when none are ({@code k = 0}, small clusters). Each confirmation from a node not seen
 * before shrinks the total timeout logarithmically towards {@code min} (see
 * {@link ProtocolMath#suspicionTimeoutAfter}), measured from when the suspicion began; if the new total
 * has already elapsed the timeout fires at once. The accuser that started the suspicion is counted as
 * seen, because our own suspect message may be gossiped back to us.
 *
 * <p>Unlike memberlist (which uses {@code time.AfterFunc} and therefore needs sleeps in its tests) this
 * runs on the injected {@link Scheduler}, so virtual time drives it.
 *
 * <p>Thread contract: protocol thread only.
 */
public final class Suspicion {
    private final int k;
    private final Duration min;
    private final Duration max;
    private final Scheduler scheduler;
    private final long startNanos;
    private final IntConsumer onTimeout;
    private final Set<String> confirmations = new HashSet<>();
    private int n;
    private Scheduler.Cancellable timer;
    private boolean done;

    /**
     * @param from      the accuser, excluded from confirmations
     * @param onTimeout called once on the protocol thread with the number of confirmations received
     */
    public Suspicion(String from, int k, Duration min, Duration max, Scheduler scheduler, IntConsumer onTimeout) {
        this.k = k;
        this.min = min;
        this.max = max;
        this.scheduler = scheduler;
        this.onTimeout = onTimeout;
        this.confirmations.add(from);
        this.startNanos = scheduler.clock().nanoTime();
        this.timer = scheduler.schedule(k < 1 ? min : max, this::fire);
    }

    /**
     * Registers that {@code from} also suspects the node.
     *
     * @return true if this was new information (the caller re-gossips the suspect message); false for a
     *     duplicate or once {@code k} confirmations have been counted
     */
    public boolean confirm(String from) {
        if (done || n >= k) {
            return false;
        }
        if (!confirmations.add(from)) {
            return false;
        }
        n++;
        Duration total = ProtocolMath.suspicionTimeoutAfter(n, k, min, max);
        long remaining = total.toNanos() - (scheduler.clock().nanoTime() - startNanos);
        timer.cancel();
        if (remaining > 0) {
            timer = scheduler.schedule(Duration.ofNanos(remaining), this::fire);
        } else {
            timer = scheduler.schedule(Duration.ZERO, this::fire);
        }
        return true;
    }

    /** Stops the timer; the timeout will not fire. */
    public void cancel() {
        done = true;
        timer.cancel();
    }

    /** Independent confirmations counted so far. */
    public int confirmations() {
        return n;
    }

    private void fire() {
        if (done) {
            return;
        }
        done = true;
        onTimeout.accept(n);
    }
}
