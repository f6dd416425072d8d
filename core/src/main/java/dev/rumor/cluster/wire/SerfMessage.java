package dev.rumor.cluster.wire;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One serf message (serf {@code messages.go}), encoded by {@link SerfCodec} as its type byte followed by a
 * msgpack map in the gossip dialect with sorted Go field names.
 *
 * <p>Lamport times are unsigned 64-bit on the wire and held in {@code long}s. Query IDs and flags are
 * unsigned 32-bit, held in {@code long} / {@code int}. Byte arrays distinguish null (Go nil, {@code c0})
 * from empty ({@code a0}), exactly as the Go encoder does; records holding arrays copy nothing and
 * compare arrays by content where noted.
 */
public sealed interface SerfMessage {

    SerfMessageType type();

    /** Query flag bit 0: the originator wants an ack from every node that passes the filters. */
    int QUERY_FLAG_ACK = 1;
    /** Query flag bit 1: receivers must not re-gossip the query. */
    int QUERY_FLAG_NO_BROADCAST = 2;

    /** type 1: {@code node} is (still) a member as of {@code ltime}; refutes older leave intents. */
    record Join(long ltime, String node) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.JOIN;
        }
    }

    /** type 0: {@code node} is leaving (or is forced out); {@code prune} also erases it. */
    record Leave(long ltime, String node, boolean prune) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.LEAVE;
        }
    }

    /** type 3. {@code coalesce} is Go's {@code CC} ("can coalesce"). */
    record UserEvent(long ltime, String name, byte[] payload, boolean coalesce) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.USER_EVENT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserEvent u && u.ltime == ltime && u.name.equals(name)
                    && Arrays.equals(u.payload, payload) && u.coalesce == coalesce;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(ltime) * 31 + name.hashCode();
        }
    }

    /**
     * type 4. {@code addr}/{@code port}/{@code sourceNode} say where acks and responses go;
     * {@code filters} are encoded {@link QueryFilter}s (may be null); {@code timeout} is carried as int64
     * nanoseconds.
     */
    record Query(long ltime, long id, byte[] addr, int port, String sourceNode, List<byte[]> filters, int flags,
                 int relayFactor, Duration timeout, String name, byte[] payload) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.QUERY;
        }

        public boolean ack() {
            return (flags & QUERY_FLAG_ACK) != 0;
        }

        public boolean noBroadcast() {
            return (flags & QUERY_FLAG_NO_BROADCAST) != 0;
        }
    }

    /** type 5: an ack ({@code flags} bit 0) or a response with {@code payload}. */
    record QueryResponse(long ltime, long id, String from, int flags, byte[] payload) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.QUERY_RESPONSE;
        }

        public boolean ack() {
            return (flags & QUERY_FLAG_ACK) != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof QueryResponse r && r.ltime == ltime && r.id == id && r.from.equals(from)
                    && r.flags == flags && Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(ltime) * 31 + from.hashCode();
        }
    }

    /**
     * type 2: serf's half of a memberlist push/pull (§7.10). {@code events} is the user-event ring in slot
     * order with null for empty slots.
     */
    record PushPull(long ltime, Map<String, Long> statusLTimes, List<String> leftMembers, long eventLTime,
                    List<EventSlot> events, long queryLTime) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.PUSH_PULL;
        }
    }

    /** One non-empty slot of the push/pull event ring: Go's {@code userEvents}. */
    record EventSlot(long ltime, List<EventEntry> events) {
    }

    /** Go's {@code userEvent} inside an {@link EventSlot}. */
    record EventEntry(String name, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof EventEntry e && e.name.equals(name) && Arrays.equals(e.payload, payload);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(payload);
        }
    }

    /**
     * type 9: forward {@code message} (an encoded {@link QueryResponse}, type byte included) to
     * {@code destAddr:destPort}. The header is Go's {@code relayHeader{DestAddr net.UDPAddr, DestName}}.
     */
    record Relay(byte[] destAddr, int destPort, String destZone, String destName, byte[] message)
            implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.RELAY;
        }
    }

    /** type 7, the payload of {@code _serf_install-key}/{@code use-key}/{@code remove-key}/{@code list-keys}. */
    record KeyRequest(byte[] key) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.KEY_REQUEST;
        }
    }

    /**
     * type 8, the response payload of the key-management queries (Go's {@code nodeKeyResponse}).
     * {@code keys} are base64 strings, null when none; {@code primaryKey} is base64 or empty.
     */
    record KeyResponse(boolean result, String message, List<String> keys, String primaryKey)
            implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.KEY_RESPONSE;
        }
    }

    /** type 6, the response payload of {@code _serf_conflict}: what the responder knows, or null. */
    record ConflictResponse(MemberInfo member) implements SerfMessage {
        @Override
        public SerfMessageType type() {
            return SerfMessageType.CONFLICT_RESPONSE;
        }
    }

    /**
     * Go's serf {@code Member} struct as msgpack-encoded in a conflict response. {@code status} is serf's
     * member status number (0 none, 1 alive, 2 leaving, 3 left, 4 failed).
     */
    record MemberInfo(String name, byte[] addr, int port, Map<String, String> tags, int status,
                      int protocolMin, int protocolMax, int protocolCur,
                      int delegateMin, int delegateMax, int delegateCur) {
    }
}
