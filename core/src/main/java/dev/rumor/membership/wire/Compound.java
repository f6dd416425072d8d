package dev.rumor.membership.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * memberlist compound message (type 7, wire-protocol.md §2.4): several complete messages in one packet,
 * {@code 07 | count u8 | count × u16 BE length | parts}. Stateless and thread-safe.
 */
public final class Compound {

    /**
     * Most parts we put in one compound. The format allows 255, but memberlist 0.2.2's decoder computes
     * {@code numParts*2} in uint8 arithmetic and misparses compounds of 128 parts or more, so we stay below.
     */
    public static final int MAX_PARTS = 127;

    /** Header bytes per compound plus per part, as memberlist budgets them (2 + 2 per part). */
    public static final int OVERHEAD = 2;
    public static final int PART_OVERHEAD = 2;

    private Compound() {
    }

    /** The parts of a compound, and how many announced parts were cut off by the end of the buffer. */
    public record Split(List<byte[]> parts, int truncated) {
    }

    /**
     * @param parts encoded messages (each starting with its type byte), at most {@link #MAX_PARTS}, each at
     *              most 65535 bytes
     */
    public static byte[] encode(List<byte[]> parts) {
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException(parts.size() + " parts exceed " + MAX_PARTS);
        }
        int total = 2 + 2 * parts.size();
        for (byte[] p : parts) {
            if (p.length > 0xffff) {
                throw new IllegalArgumentException("part of " + p.length + " bytes exceeds 65535");
            }
            total += p.length;
        }
        byte[] out = new byte[total];
        out[0] = (byte) MessageType.COMPOUND.code();
        out[1] = (byte) parts.size();
        int pos = 2;
        for (byte[] p : parts) {
            out[pos++] = (byte) (p.length >>> 8);
            out[pos++] = (byte) p.length;
        }
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    /** Groups any number of messages into compounds of at most {@link #MAX_PARTS} (a single message stays bare). */
    public static List<byte[]> encodeAll(List<byte[]> messages) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += MAX_PARTS) {
            List<byte[]> chunk = messages.subList(i, Math.min(messages.size(), i + MAX_PARTS));
            out.add(chunk.size() == 1 ? chunk.get(0) : encode(chunk));
        }
        return out;
    }

    /** Receives one complete part of a compound in place: {@code buf[offset, offset + length)}. */
    @FunctionalInterface
    public interface PartVisitor {
        void part(byte[] buf, int offset, int length);
    }

    /**
     * Splits a compound body (the bytes after the {@code 07} type byte). Parts that the buffer is too short
     * for are counted in {@link Split#truncated()}, the complete leading ones returned, as memberlist does.
     * Bytes after the last announced part are ignored.
     */
    public static Split decode(byte[] buf, int offset, int length) throws CodecException {
        List<byte[]> parts = new ArrayList<>();
        int truncated = visit(buf, offset, length,
                (b, off, len) -> parts.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        return new Split(parts, truncated);
    }

    /**
     * Like {@link #decode} without copying: hands each complete part, in order, to {@code visitor} as a range
     * of {@code buf} (the receive path decodes them in place).
     *
     * @return how many announced parts were cut off by the end of the buffer
     */
    public static int visit(byte[] buf, int offset, int length, PartVisitor visitor) throws CodecException {
        if (length < 1) {
            throw new CodecException("missing compound length byte");
        }
        int n = buf[offset] & 0xff;
        if (length - 1 < 2 * n) {
            throw new CodecException("truncated compound length table");
        }
        int pos = offset + 1 + 2 * n;
        int end = offset + length;
        for (int i = 0; i < n; i++) {
            int at = offset + 1 + 2 * i;
            int len = ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
            if (end - pos < len) {
                return n - i;
            }
            visitor.part(buf, pos, len);
            pos += len;
        }
        return 0;
    }
}
