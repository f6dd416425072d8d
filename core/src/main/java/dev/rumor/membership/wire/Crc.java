package dev.rumor.membership.wire;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * memberlist CRC wrapper (type 12, wire-protocol.md §2.5): {@code 0c | CRC32-IEEE BE of the rest | message}.
 * Receivers accept packets with and without it. Stateless and thread-safe.
 */
public final class Crc {

    public static final int OVERHEAD = 5;

    private Crc() {
    }

    public static byte[] wrap(byte[] message) {
        byte[] out = new byte[message.length + OVERHEAD];
        out[0] = (byte) MessageType.HAS_CRC.code();
        int crc = crc(message, 0, message.length);
        out[1] = (byte) (crc >>> 24);
        out[2] = (byte) (crc >>> 16);
        out[3] = (byte) (crc >>> 8);
        out[4] = (byte) crc;
        System.arraycopy(message, 0, out, OVERHEAD, message.length);
        return out;
    }

    /**
     * @param buf a whole buffer starting with {@code 0c}
     * @return the inner message after the checksum was verified
     */
    public static byte[] unwrap(byte[] buf) throws CodecException {
        if (buf.length < OVERHEAD || (buf[0] & 0xff) != MessageType.HAS_CRC.code()) {
            throw new CodecException("not a CRC-wrapped message");
        }
        int expected = ((buf[1] & 0xff) << 24) | ((buf[2] & 0xff) << 16) | ((buf[3] & 0xff) << 8) | (buf[4] & 0xff);
        int actual = crc(buf, OVERHEAD, buf.length - OVERHEAD);
        if (actual != expected) {
            throw new CodecException(String.format("invalid checksum: computed %08x, packet says %08x", actual, expected));
        }
        return Arrays.copyOfRange(buf, OVERHEAD, buf.length);
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
