package dev.rumor.membership;

import java.time.Duration;

/**
 * Lifeguard "local health multiplier" (LHM, memberlist {@code awareness.go}). A node that misses acks
 * it should have received, or has to refute suspicions about itself, is more likely slow itself than
 * its peers are dead; it then stretches its own probe interval so it accuses others less eagerly.
 *
 * <p>The score is clamped to {@code [0, max − 1]}; the probe interval becomes
 * {@code interval × (score + 1)}. ProbeTimeout is deliberately not scaled (waiting longer does not
 * make UDP arrive), only the window for indirect and TCP probes grows. Beyond memberlist, the suspicion
 * timeouts this node starts are scaled too (see {@code MembershipState}): waiting longer does let a slow
 * node hear a refutation that one of many gossiped copies finally delivers.
 *
 * <p>Thread contract: protocol thread only, except {@link #score()} which may be read from any thread.
 */
public final class Awareness {
    private final int max;
    private volatile int score;

    public Awareness(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("awareness max must be >= 1: " + max);
        }
        this.max = max;
    }

    /** Adds {@code delta} (may be negative) and clamps; returns the new score. */
    public int applyDelta(int delta) {
        int s = score + delta;
        if (s < 0) {
            s = 0;
        } else if (s > max - 1) {
            s = max - 1;
        }
        score = s;
        return s;
    }

    /** 0 is healthy; higher is worse. */
    public int score() {
        return score;
    }

    public Duration scaleTimeout(Duration timeout) {
        return timeout.multipliedBy(score + 1L);
    }
}
