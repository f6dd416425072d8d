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
     * Longest time, on a healthy network, until a crashed member is first suspected by some peer: every
     * peer probes round-robin through a list reshuffled each round, so a given peer reaches any member
     * within two rounds of {@code n − 1} probes; add the failed round itself (one probe interval).
     */
    public static Duration firstSuspicionBound(MembershipConfig c, int n) {
        return c.probeInterval().multipliedBy(2L * (n - 1) + 1);
    }

    /**
     * Longest time from the first suspicion of a crashed member until every peer declares it dead:
     * the maximum Lifeguard suspicion timeout (no confirmations; confirmations only shorten it) for the
     * peer that suspected first, plus the time its dead broadcast takes to reach everyone, allowed as one
     * gossip interval per retransmission (a broadcast is dropped after that many sends anyway).
     */
    public static Duration suspicionToDeadBound(MembershipConfig c, int n) {
        Duration max = suspicionTimeout(c.suspicionMult(), n, c.probeInterval()).multipliedBy(c.suspicionMaxTimeoutMult());
        return max.plus(c.gossipInterval().multipliedBy(retransmitLimit(c.retransmitMult(), n)));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
