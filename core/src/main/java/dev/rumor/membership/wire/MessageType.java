package dev.rumor.membership.wire;

/**
 * memberlist message type bytes. ONLY APPEND: the numeric values are part of the protocol
 * (memberlist {@code net.go}); reordering or renumbering breaks every peer.
 */
public enum MessageType {
    PING(0),
    INDIRECT_PING(1),
    ACK(2),
    SUSPECT(3),
    ALIVE(4),
    DEAD(5),
    PUSH_PULL(6),
    COMPOUND(7),
    USER(8),
    COMPRESS(9),
    ENCRYPT(10),
    NACK(11),
    HAS_CRC(12),
    ERR(13);

    private static final MessageType[] BY_CODE = new MessageType[14];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @return the type for a wire byte, or null if unknown (such packets are counted and dropped). */
    public static MessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
