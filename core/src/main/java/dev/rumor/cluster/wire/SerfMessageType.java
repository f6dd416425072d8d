package dev.rumor.cluster.wire;

/**
 * The first byte of every serf message (serf {@code messages.go}). ONLY APPEND: the values are wire
 * codes shared with every Go serf node; reordering or renumbering breaks the cluster.
 */
public enum SerfMessageType {
    /** leave intent, gossiped */
    LEAVE(0),
    /** join intent, gossiped */
    JOIN(1),
    /** serf state inside a memberlist push/pull (never gossiped) */
    PUSH_PULL(2),
    /** user event, gossiped */
    USER_EVENT(3),
    /** query, gossiped */
    QUERY(4),
    /** query ack or response, sent directly to the originator */
    QUERY_RESPONSE(5),
    /** {@code _serf_conflict} response payload (inside a query response) */
    CONFLICT_RESPONSE(6),
    /** key-management query payload (inside a query) */
    KEY_REQUEST(7),
    /** key-management response payload (inside a query response) */
    KEY_RESPONSE(8),
    /** a query response to forward to its originator on behalf of the responder */
    RELAY(9);

    private static final SerfMessageType[] BY_CODE = new SerfMessageType[10];

    static {
        for (SerfMessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    SerfMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the type for a wire byte, or null if unknown (such messages are counted and dropped) */
    public static SerfMessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
