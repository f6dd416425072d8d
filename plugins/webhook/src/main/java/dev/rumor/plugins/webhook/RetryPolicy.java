package dev.rumor.plugins.webhook;

import java.time.Duration;

/**
 * How often and how patiently a delivery is retried. Backoff is exponential with "full jitter" (a uniform
 * random wait between 0 and the exponential cap): after a cluster-wide event every agent in the cluster
 * posts to the same receiver at once, and full jitter spreads their retries best (AWS Architecture Blog,
 * "Exponential Backoff And Jitter").
 *
 * @param maxAttempts    total attempts including the first (1 = never retry)
 * @param initialBackoff cap of the wait before the first retry
 * @param maxBackoff     cap of every wait, also of a server's {@code Retry-After}
 */
record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(60));

    /**
     * The wait before retry number {@code retry} (1 = the wait after the first failed attempt).
     *
     * @param random     uniform in [0, 1)
     * @param retryAfter the server's {@code Retry-After}, or null; it is a lower bound (we never retry
     *                   sooner than asked) but is still capped by {@link #maxBackoff}
     */
    Duration backoff(int retry, double random, Duration retryAfter) {
        Duration cap = exponentialCap(retry);
        Duration wait = Duration.ofNanos((long) (cap.toNanos() * random));
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** initialBackoff * 2^(retry-1), capped at maxBackoff, without overflow. */
    Duration exponentialCap(int retry) {
        long base = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int shift = Math.max(0, retry - 1);
        long cap = shift >= 62 || base > (max >> Math.min(shift, 62)) ? max : base << shift;
        return Duration.ofNanos(Math.min(cap, max));
    }
}
