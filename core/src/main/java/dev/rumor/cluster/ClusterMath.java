package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.cluster.wire.SerfMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The serf layer's formulas and size limits in one table-tested place, with serf's exact error texts
 * (wire-protocol §7.6, §7.7).
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class ClusterMath {
    /** Hard ceiling of a user event, whatever the configuration (serf's {@code UserEventSizeLimit}). */
    public static final int USER_EVENT_SANE_LIMIT = 9 * 1024;

    private ClusterMath() {
    }

    /**
     * {@code gossipInterval × queryTimeoutMult × ceil(log10(n + 1))}, n = alive memberlist members.
     * LAN (200 ms, 16): 2-9 nodes → 3.2 s, 10-99 → 6.4 s, 100-999 → 9.6 s.
     */
    public static Duration defaultQueryTimeout(Duration gossipInterval, int queryTimeoutMult, int n) {
        long scale = (long) Math.ceil(Math.log10(n + 1.0));
        return gossipInterval.multipliedBy(queryTimeoutMult).multipliedBy(scale);
    }

    /**
     * Checks a user event before and after encoding, and returns the encoded message.
     *
     * @throws IllegalArgumentException with serf's message when a limit is exceeded
     */
    public static byte[] checkedUserEvent(SerfMessage.UserEvent e, int configuredLimit) {
        int before = e.name().getBytes(StandardCharsets.UTF_8).length + (e.payload() == null ? 0 : e.payload().length);
        if (before > configuredLimit) {
            throw new IllegalArgumentException(
                    "user event exceeds configured limit of " + configuredLimit + " bytes before encoding");
        }
        if (before > USER_EVENT_SANE_LIMIT) {
            throw new IllegalArgumentException(
                    "user event exceeds sane limit of " + USER_EVENT_SANE_LIMIT + " bytes before encoding");
        }
        byte[] raw = SerfCodec.encode(e);
        if (raw.length > configuredLimit) {
            throw new IllegalArgumentException(
                    "encoded user event exceeds configured limit of " + configuredLimit + " bytes after encoding");
        }
        if (raw.length > USER_EVENT_SANE_LIMIT) {
            // sic: serf says "before encoding" here too
            throw new IllegalArgumentException(
                    "encoded user event exceeds sane limit of " + USER_EVENT_SANE_LIMIT + " bytes before encoding");
        }
        return raw;
    }

    /** @throws IllegalArgumentException "query exceeds limit of N bytes" */
    public static byte[] checkedQuery(SerfMessage.Query q, int querySizeLimit) {
        byte[] raw = SerfCodec.encode(q);
        if (raw.length > querySizeLimit) {
            throw new IllegalArgumentException("query exceeds limit of " + querySizeLimit + " bytes");
        }
        return raw;
    }

    /** @throws IllegalArgumentException "response exceeds limit of N bytes" */
    public static byte[] checkedResponse(SerfMessage.QueryResponse r, int responseSizeLimit) {
        byte[] raw = SerfCodec.encode(r);
        if (raw.length > responseSizeLimit) {
            throw new IllegalArgumentException("response exceeds limit of " + responseSizeLimit + " bytes");
        }
        return raw;
    }

    /** @throws IllegalArgumentException "relayed response exceeds limit of N bytes" */
    public static byte[] checkedRelay(SerfMessage.Relay r, int responseSizeLimit) {
        byte[] raw = SerfCodec.encode(r);
        if (raw.length > responseSizeLimit) {
            throw new IllegalArgumentException("relayed response exceeds limit of " + responseSizeLimit + " bytes");
        }
        return raw;
    }
}
