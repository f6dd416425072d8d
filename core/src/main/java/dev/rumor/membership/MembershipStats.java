package dev.rumor.membership;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the membership layer, readable from any thread (the agent's {@code stats} and tests).
 * Malformed input is counted here instead of being thrown out of the receive path.
 */
public final class MembershipStats {
    final AtomicLong packetsReceived = new AtomicLong();
    final AtomicLong packetsSent = new AtomicLong();
    final AtomicLong malformedPackets = new AtomicLong();
    final AtomicLong malformedStreams = new AtomicLong();
    final AtomicLong handoffDropped = new AtomicLong();
    final AtomicLong probes = new AtomicLong();
    final AtomicLong failedProbes = new AtomicLong();
    final AtomicLong tcpFallbackSaves = new AtomicLong();
    final AtomicLong pushPulls = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();
    final AtomicLong joinSyncs = new AtomicLong();
    final AtomicLong refusedProbes = new AtomicLong();
    final AtomicLong lastChanceSaves = new AtomicLong();
    final AtomicLong staleSuspicionsAnswered = new AtomicLong();

    /** Datagrams handed to us by the transport. */
    public long packetsReceived() {
        return packetsReceived.get();
    }

    public long packetsSent() {
        return packetsSent.get();
    }

    /** Datagrams (or parts of compounds) that failed to decode, or carried an unexpected message type. */
    public long malformedPackets() {
        return malformedPackets.get();
    }

    /** Inbound or reply streams that failed to decode or were of an unexpected type. */
    public long malformedStreams() {
        return malformedStreams.get();
    }

    /** Gossip messages dropped because the handoff queue was full. */
    public long handoffDropped() {
        return handoffDropped.get();
    }

    public long probes() {
        return probes.get();
    }

    /** Probes that ended with the target suspected. */
    public long failedProbes() {
        return failedProbes.get();
    }

    /** Probes saved only by the TCP fallback ping ("network may be misconfigured"). */
    public long tcpFallbackSaves() {
        return tcpFallbackSaves.get();
    }

    /** Completed push/pull exchanges, initiated or answered. */
    public long pushPulls() {
        return pushPulls.get();
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    /** Failed probes whose TCP fallback was refused, so the target was declared dead at once (failOnRefusedProbe). */
    public long refusedProbes() {
        return refusedProbes.get();
    }

    /** Suspects that answered the last ping before being marked failed, and were suspected again instead. */
    public long lastChanceSaves() {
        return lastChanceSaves.get();
    }

    /** Suspicions gossiped to us about a node we hold alive at a higher incarnation, answered with that alive. */
    public long staleSuspicionsAnswered() {
        return staleSuspicionsAnswered.get();
    }

    /** Extra push/pulls started after a join because members kept appearing (see joinSyncInterval). */
    public long joinSyncs() {
        return joinSyncs.get();
    }
}
