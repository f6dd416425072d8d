package dev.rumor.cluster;

import dev.rumor.coordinate.CoordinateConfig;
import dev.rumor.membership.MembershipConfig;
import dev.rumor.security.Keyring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Serf-layer settings (serf {@code config.go} {@code DefaultConfig}), on top of the membership profile.
 * Every default below is serf's.
 *
 * @param membership          the memberlist profile; its {@code name} is the node name
 * @param tags                initial tags; encoded size ≤ 512 bytes
 * @param protocolVersion     serf protocol spoken (2..5); ≥ 3 for tags as a map, ≥ 4 for queries; 5
 * @param broadcastTimeout    max wait for a leave intent / force-leave to be gossiped; 5 s
 * @param leavePropagateDelay wait after the memberlist leave so peers' probes still get answers; 1 s
 * @param reapInterval        how often failed/left members and old intents are reaped; 15 s
 * @param reconnectInterval   how often a failed member may be re-joined; 30 s
 * @param reconnectTimeout    a failed member is erased after this; 24 h
 * @param tombstoneTimeout    a left member is erased after this; 24 h
 * @param recentIntentTimeout intents about unknown nodes are kept this long; 5 min
 * @param queueCheckInterval  how often queue depths are checked; 30 s
 * @param queueDepthWarning   warn at this many queued serf broadcasts; 128
 * @param maxQueueDepth       drop the oldest broadcasts beyond this; 4096
 * @param minQueueDepth       if > 0, the limit becomes max(minQueueDepth, 2 × members); 0
 * @param eventBuffer         user events kept for de-duplication and push/pull; 512
 * @param queryBuffer         query IDs kept for de-duplication; 512
 * @param queryTimeoutMult    default query timeout = gossipInterval × this × ceil(log10(n+1)); 16
 * @param querySizeLimit      encoded query limit; 1024
 * @param queryResponseSizeLimit encoded response limit; 1024
 * @param userEventSizeLimit  name + payload limit of a user event (serf agent default); 512
 * @param enableNameConflictResolution vote and quit when another node claims our name; true
 * @param coordinates         Vivaldi configuration, or null to disable coordinates
 * @param keyring             the keyring the key-management queries act on: must be the membership
 *                            profile's own object, so an installed key is used for decryption at once;
 *                            null when encryption is off ({@link #defaults} takes the profile's)
 * @param keyringFile         where to persist the keyring after a key change, or null
 * @param rejoinAfterLeave    a snapshot's {@code leave} does not prevent re-joining (agent {@code -rejoin})
 * @param randomSeed          seed of the serf layer's random choices (query IDs, relays, reconnects); null = random
 */
public record ClusterConfig(
        MembershipConfig membership,
        Map<String, String> tags,
        int protocolVersion,
        Duration broadcastTimeout,
        Duration leavePropagateDelay,
        Duration reapInterval,
        Duration reconnectInterval,
        Duration reconnectTimeout,
        Duration tombstoneTimeout,
        Duration recentIntentTimeout,
        Duration queueCheckInterval,
        int queueDepthWarning,
        int maxQueueDepth,
        int minQueueDepth,
        int eventBuffer,
        int queryBuffer,
        int queryTimeoutMult,
        int querySizeLimit,
        int queryResponseSizeLimit,
        int userEventSizeLimit,
        boolean enableNameConflictResolution,
        CoordinateConfig coordinates,
        Keyring keyring,
        Path keyringFile,
        boolean rejoinAfterLeave,
        Long randomSeed) {

    public static final int PROTOCOL_MIN = 2;
    public static final int PROTOCOL_MAX = 5;

    public ClusterConfig {
        Objects.requireNonNull(membership, "membership");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (protocolVersion < PROTOCOL_MIN) {
            throw new IllegalArgumentException("Protocol version '" + protocolVersion
                    + "' too low. Must be in range: [" + PROTOCOL_MIN + ", " + PROTOCOL_MAX + "]");
        }
        if (protocolVersion > PROTOCOL_MAX) {
            throw new IllegalArgumentException("Protocol version '" + protocolVersion
                    + "' too high. Must be in range: [" + PROTOCOL_MIN + ", " + PROTOCOL_MAX + "]");
        }
        if (userEventSizeLimit > ClusterMath.USER_EVENT_SANE_LIMIT) {
            throw new IllegalArgumentException("user event size limit exceeds limit of "
                    + ClusterMath.USER_EVENT_SANE_LIMIT + " bytes");
        }
    }

    /** serf's defaults on the given membership profile. */
    public static ClusterConfig defaults(MembershipConfig membership) {
        return new ClusterConfig(membership, Map.of(), 5, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofHours(24), Duration.ofHours(24),
                Duration.ofMinutes(5), Duration.ofSeconds(30), 128, 4096, 0, 512, 512, 16, 1024, 1024, 512, true,
                CoordinateConfig.defaults(), membership.keyring(), null, false, null);
    }

    public String nodeName() {
        return membership.name();
    }

    public ClusterConfig withTags(Map<String, String> t) {
        return new ClusterConfig(membership, t, protocolVersion, broadcastTimeout, leavePropagateDelay, reapInterval,
                reconnectInterval, reconnectTimeout, tombstoneTimeout, recentIntentTimeout, queueCheckInterval,
                queueDepthWarning, maxQueueDepth, minQueueDepth, eventBuffer, queryBuffer, queryTimeoutMult,
                querySizeLimit, queryResponseSizeLimit, userEventSizeLimit, enableNameConflictResolution, coordinates,
                keyring, keyringFile, rejoinAfterLeave, randomSeed);
    }

    /** Sets the keyring on the membership profile, and where to persist it after key changes. */
    public ClusterConfig withKeyring(Keyring k, Path file) {
        return new ClusterConfig(membership.toBuilder().keyring(k).build(), tags, protocolVersion, broadcastTimeout,
                leavePropagateDelay, reapInterval,
                reconnectInterval, reconnectTimeout, tombstoneTimeout, recentIntentTimeout, queueCheckInterval,
                queueDepthWarning, maxQueueDepth, minQueueDepth, eventBuffer, queryBuffer, queryTimeoutMult,
                querySizeLimit, queryResponseSizeLimit, userEventSizeLimit, enableNameConflictResolution, coordinates,
                k, file, rejoinAfterLeave, randomSeed);
    }

    public ClusterConfig withRandomSeed(Long seed) {
        return new ClusterConfig(membership, tags, protocolVersion, broadcastTimeout, leavePropagateDelay, reapInterval,
                reconnectInterval, reconnectTimeout, tombstoneTimeout, recentIntentTimeout, queueCheckInterval,
                queueDepthWarning, maxQueueDepth, minQueueDepth, eventBuffer, queryBuffer, queryTimeoutMult,
                querySizeLimit, queryResponseSizeLimit, userEventSizeLimit, enableNameConflictResolution, coordinates,
                keyring, keyringFile, rejoinAfterLeave, seed);
    }

    public ClusterConfig withTimings(Duration reapInterval, Duration reconnectInterval, Duration reconnectTimeout,
                                     Duration tombstoneTimeout) {
        return new ClusterConfig(membership, tags, protocolVersion, broadcastTimeout, leavePropagateDelay, reapInterval,
                reconnectInterval, reconnectTimeout, tombstoneTimeout, recentIntentTimeout, queueCheckInterval,
                queueDepthWarning, maxQueueDepth, minQueueDepth, eventBuffer, queryBuffer, queryTimeoutMult,
                querySizeLimit, queryResponseSizeLimit, userEventSizeLimit, enableNameConflictResolution, coordinates,
                keyring, keyringFile, rejoinAfterLeave, randomSeed);
    }
}
