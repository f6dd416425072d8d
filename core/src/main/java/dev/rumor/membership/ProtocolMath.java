package dev.rumor.membership;

import java.time.Duration;

/**
 * The formulas of memberlist ({@code util.go}, {@code suspicion.go}) in one table-tested place. They
 * must produce exactly the numbers a Go node computes, because a mixed cluster only behaves as
 * configured when every node scales timeouts and retransmissions the same way.
 *
 * <p>Thread contract: pure functions, safe from any thread.
 */
public final class ProtocolMath {
    /** Above this many nodes the push/pull period grows (memberlist {@code pushPullScaleThreshold}). */
    public static final int PUSH_PULL_SCALE_THRESHOLD = 32;

    private ProtocolMath() {
    }

    /**
     * Minimum suspicion timeout: {@code suspicionMult × max(1, log10(max(1, n))) × probeInterval}, with
     * the node scale truncated to 1/1000 as Go's {@code time.Duration(nodeScale*1000)} does.
     */
    public static Duration suspicionTimeout(int suspicionMult, int n, Duration probeInterval) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        long scaleMillis = (long) (nodeScale * 1000);
        return Duration.ofNanos(suspicionMult * scaleMillis * probeInterval.toNanos() / 1000);
    }

    /** Times a broadcast is handed out before it is dropped: {@code retransmitMult × ceil(log10(n + 1))}. */
    public static int retransmitLimit(int retransmitMult, int n) {
        double nodeScale = Math.ceil(Math.log10(n + 1.0));
        return retransmitMult * (int) nodeScale;
    }

    /**
     * Push/pull period for a cluster of {@code n}: the interval itself up to 32 nodes, then
     * {@code interval × (ceil(log2(n) − log2(32)) + 1)}, so anti-entropy traffic stays roughly flat as
     * the cluster grows.
     */
    public static Duration pushPullScale(Duration interval, int n) {
        if (n <= PUSH_PULL_SCALE_THRESHOLD) {
            return interval;
        }
        double multiplier = Math.ceil(log2(n) - log2(PUSH_PULL_SCALE_THRESHOLD)) + 1.0;
        return interval.multipliedBy((long) multiplier);
    }

    /**
     * Lifeguard suspicion timeout after {@code confirmations} of {@code k} expected independent
     * confirmations: {@code max − (ln(c + 1) / ln(k + 1)) × (max − min)}, floored to whole milliseconds
     * and never below {@code min}. Returns the total timeout measured from the start of the suspicion
     * (the caller subtracts the elapsed time).
     */
    public static Duration suspicionTimeoutAfter(int confirmations, int k, Duration min, Duration max) {
        double frac = Math.log(confirmations + 1.0) / Math.log(k + 1.0);
        double maxS = max.toNanos() / 1e9;
        double minS = min.toNanos() / 1e9;
        double raw = maxS - frac * (maxS - minS);
        Duration timeout = Duration.ofMillis((long) Math.floor(1000.0 * raw));
        return timeout.compareTo(min) < 0 ? min : timeout;
    }

    /**
     * Upper bound on how long after a node's crash every healthy peer declares it dead, on a healthy
     * network: the time until some peer probes it (at most one full shuffled round of {@code n - 1}
     * probes, each at most {@code probeInterval × awarenessMax} when health is degraded but here the
     * nominal interval), plus the maximum suspicion timeout, plus the time the dead broadcast needs to
     * reach everyone (each node gossips every {@code gossipInterval}; we allow the retransmit limit's
     * worth of rounds). Used by the simulation tests to assert the detection bound.
     */
    public static Duration failureDetectionBound(MembershipConfig c, int n) {
        Duration firstProbe = c.probeInterval().multipliedBy(n);
        Duration min = suspicionTimeout(c.suspicionMult(), n, c.probeInterval());
        Duration max = min.multipliedBy(c.suspicionMaxTimeoutMult());
        Duration dissemination = c.gossipInterval().multipliedBy(retransmitLimit(c.retransmitMult(), n));
        return firstProbe.plus(c.probeInterval()).plus(max).plus(dissemination);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
