package dev.rumor.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads msgpack values from a byte array as leniently as go-msgpack 0.5.5 decodes them
 * (wire-protocol.md §1.2), so that anything the Go binary accepts we accept too:
 * <ul>
 *   <li>every integer family into any integer field, with range checks against the field width;</li>
 *   <li>{@code bool} from {@code c2}/{@code c3} and fixint 0/1; floats from float32, float64 or any integer;</li>
 *   <li>strings from raw (fixstr, str8, str16, str32) and, more leniently than Go, from bin;
 *       byte arrays from raw or bin;</li>
 *   <li>nil into any field yields its zero value (Go's {@code tryDecodeAsNil});</li>
 *   <li>struct maps in any key order, unknown keys skipped ({@link #readStruct}).</li>
 * </ul>
 * Every malformed input (truncation, wrong type, overflow, a declared length beyond the remaining bytes)
 * raises {@link MsgpackException}; nothing is allocated on a peer's say-so beyond the bytes actually
 * present, and nesting is walked iteratively, so no input can exhaust the heap or the stack.
 *
 * <p>Not thread-safe. The reader does not copy the input array; returned byte arrays are copies.
 */
public final class MsgpackReader {

    /** The msgpack family of the next value. */
    public enum ValueType { NIL, BOOLEAN, INTEGER, FLOAT, STRING, BINARY, ARRAY, MAP, EXTENSION }

    /** Handles one struct field; see {@link #readStruct}. */
    @FunctionalInterface
    public interface FieldHandler {
        /**
         * Reads the value of {@code key} from {@code r} if the key is known.
         *
         * @return true if exactly one value was consumed, false to let the reader skip an unknown key
         */
        boolean field(String key, MsgpackReader r) throws MsgpackException;
    }

    /** Struct keys up to this many bytes are cached (see {@link #readKey}). */
    private static final int MAX_CACHED_KEY = 32;
    /** Recently seen struct keys; a power of two. */
    private static final String[] KEYS = new String[512];

    private final byte[] buf;
    private final int limit;
    private int pos;

    public MsgpackReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public MsgpackReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public ValueType peekType() throws MsgpackException {
        need(1);
        return typeOf(buf[pos] & 0xff);
    }

    /** Consumes a nil if one is next. */
    public boolean tryReadNil() throws MsgpackException {
        need(1);
        if ((buf[pos] & 0xff) == 0xc0) {
            pos++;
            return true;
        }
        return false;
    }

    public void readNil() throws MsgpackException {
        if (!tryReadNil()) {
            throw error("expected nil", buf[pos] & 0xff);
        }
    }

    /** Any msgpack integer that fits a Java long (int64); nil reads as 0. */
    public long readLong() throws MsgpackException {
        int start = pos;
        int b = u8();
        if (b <= 0x7f) {
            return b;
        }
        if (b >= 0xe0) {
            return (byte) b;
        }
        switch (b) {
            case 0xc0:
                return 0;
            case 0xcc:
                return u8();
            case 0xcd:
                return u16();
            case 0xce:
                return u32();
            case 0xcf: {
                long v = s64();
                if (v < 0) {
                    throw new MsgpackException("integer " + Long.toUnsignedString(v) + " overflows int64 at " + start);
                }
                return v;
            }
            case 0xd0:
                return (byte) u8();
            case 0xd1:
                return (short) u16();
            case 0xd2:
                return (int) u32();
            case 0xd3:
                return s64();
            default:
                pos = start;
                throw error("expected integer", b);
        }
    }

    /** An integer within {@code [min, max]}; {@code what} names the field in the error message. */
    public long readLong(long min, long max, String what) throws MsgpackException {
        int start = pos;
        long v = readLong();
        if (v < min || v > max) {
            throw new MsgpackException(what + ": value " + v + " out of range [" + min + ", " + max + "] at " + start);
        }
        return v;
    }

    /** Go {@code uint8}. */
    public int readUint8() throws MsgpackException {
        return (int) readLong(0, 0xff, "uint8");
    }

    /** Go {@code uint16} (ports). */
    public int readUint16() throws MsgpackException {
        return (int) readLong(0, 0xffff, "uint16");
    }

    /** Go {@code uint32} (sequence numbers, incarnations, Lamport times on the memberlist level). */
    public long readUint32() throws MsgpackException {
        return readLong(0, 0xffffffffL, "uint32");
    }

    /** Go {@code int32}. */
    public int readInt32() throws MsgpackException {
        return (int) readLong(Integer.MIN_VALUE, Integer.MAX_VALUE, "int32");
    }

    /** Go {@code uint64}, returned as the same 64 bits (values above {@link Long#MAX_VALUE} come back negative). */
    public long readUint64() throws MsgpackException {
        int start = pos;
        need(1);
        if ((buf[pos] & 0xff) == 0xcf) {
            pos++;
            return s64();
        }
        long v = readLong();
        if (v < 0) {
            throw new MsgpackException("uint64: negative value " + v + " at " + start);
        }
        return v;
    }

    /** {@code c2}/{@code c3}, or fixint 0/1 as go-msgpack allows; nil reads as false. */
    public boolean readBool() throws MsgpackException {
        int b = u8();
        switch (b) {
            case 0xc3:
            case 0x01:
                return true;
            case 0xc2:
            case 0x00:
            case 0xc0:
                return false;
            default:
                pos--;
                throw error("expected bool", b);
        }
    }

    /** float64, float32 or any integer; nil reads as 0. */
    public double readDouble() throws MsgpackException {
        need(1);
        int b = buf[pos] & 0xff;
        if (b == 0xcb) {
            pos++;
            return Double.longBitsToDouble(s64());
        }
        if (b == 0xca) {
            pos++;
            return Float.intBitsToFloat((int) u32());
        }
        if (b == 0xcf) {
            pos++;
            long v = s64();
            return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
        if (typeOf(b) == ValueType.INTEGER || b == 0xc0) {
            return readLong();
        }
        throw error("expected float", b);
    }

    /** A string from raw/str8/bin; nil reads as "" (Go strings have no nil). Invalid UTF-8 is replaced, not rejected. */
    public String readString() throws MsgpackException {
        String s = readStringOrNull();
        return s == null ? "" : s;
    }

    /** Like {@link #readString} but nil reads as null. */
    public String readStringOrNull() throws MsgpackException {
        int n = readStringHeader();
        if (n < 0) {
            return null;
        }
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8); // decoded in place, no intermediate copy
        pos += n;
        return s;
    }

    /** A byte string from raw (any str form) or bin; nil reads as null. */
    public byte[] readBytes() throws MsgpackException {
        return readStringBytes();
    }

    private byte[] readStringBytes() throws MsgpackException {
        int n = readStringHeader();
        return n < 0 ? null : readRaw(n);
    }

    /** The length of the str or bin value that follows, or -1 for nil. */
    private int readStringHeader() throws MsgpackException {
        int start = pos;
        int b = u8();
        int n;
        if (b >= 0xa0 && b <= 0xbf) {
            n = b & 0x1f;
        } else {
            switch (b) {
                case 0xc0:
                    return -1;
                case 0xd9:
                case 0xc4:
                    n = u8();
                    break;
                case 0xda:
                case 0xc5:
                    n = u16();
                    break;
                case 0xdb:
                case 0xc6:
                    n = length32();
                    break;
                default:
                    pos = start;
                    throw error("expected string or bytes", b);
            }
        }
        return n;
    }

    /** A map header (entry count, guarded against the remaining bytes); nil reads as 0. */
    public int readMapHeader() throws MsgpackException {
        int n = readMapHeaderOrNil();
        return Math.max(n, 0);
    }

    /** A map header, or -1 for nil (Go nil map). */
    public int readMapHeaderOrNil() throws MsgpackException {
        int start = pos;
        int b = u8();
        int n;
        if (b >= 0x80 && b <= 0x8f) {
            n = b & 0x0f;
        } else if (b == 0xde) {
            n = u16();
        } else if (b == 0xdf) {
            n = length32();
        } else if (b == 0xc0) {
            return -1;
        } else {
            pos = start;
            throw error("expected map", b);
        }
        if ((long) n * 2 > remaining()) {
            throw new MsgpackException("map of " + n + " entries exceeds the " + remaining() + " remaining bytes at " + start);
        }
        return n;
    }

    /** An array header (element count, guarded against the remaining bytes); nil reads as 0. */
    public int readArrayHeader() throws MsgpackException {
        return Math.max(readArrayHeaderOrNil(), 0);
    }

    /** An array header, or -1 for nil (Go nil slice). */
    public int readArrayHeaderOrNil() throws MsgpackException {
        int start = pos;
        int b = u8();
        int n;
        if (b >= 0x90 && b <= 0x9f) {
            n = b & 0x0f;
        } else if (b == 0xdc) {
            n = u16();
        } else if (b == 0xdd) {
            n = length32();
        } else if (b == 0xc0) {
            return -1;
        } else {
            pos = start;
            throw error("expected array", b);
        }
        if (n > remaining()) {
            throw new MsgpackException("array of " + n + " elements exceeds the " + remaining() + " remaining bytes at " + start);
        }
        return n;
    }

    /**
     * Reads a Go struct encoded as a map: for every key the handler is asked; keys it does not know are
     * skipped. Missing keys are left to the caller's defaults; nil reads as an empty struct. Keys must be
     * strings (raw, str8 or bin).
     */
    public void readStruct(FieldHandler handler) throws MsgpackException {
        int n = readMapHeader();
        for (int i = 0; i < n; i++) {
            need(1);
            ValueType kt = typeOf(buf[pos] & 0xff);
            if (kt != ValueType.STRING && kt != ValueType.BINARY) {
                throw error("expected string struct key", buf[pos] & 0xff);
            }
            String key = readKey();
            if (!handler.field(key, this)) {
                skipValue();
            }
        }
    }

    /** Skips one complete value, however deeply nested (walked iteratively). */
    public void skipValue() throws MsgpackException {
        long pending = 1;
        while (pending > 0) {
            pending--;
            int start = pos;
            int b = u8();
            if (b <= 0x7f || b >= 0xe0 || (b >= 0xc0 && b <= 0xc3 && b != 0xc1)) {
                continue;
            }
            if (b >= 0x80 && b <= 0x8f) {
                pending += 2L * (b & 0x0f);
            } else if (b >= 0x90 && b <= 0x9f) {
                pending += b & 0x0f;
            } else if (b >= 0xa0 && b <= 0xbf) {
                skip(b & 0x1f);
            } else {
                switch (b) {
                    case 0xc4, 0xd9 -> skip(u8());
                    case 0xc5, 0xda -> skip(u16());
                    case 0xc6, 0xdb -> skip(length32());
                    case 0xc7 -> skip(u8() + 1);
                    case 0xc8 -> skip(u16() + 1);
                    case 0xc9 -> skip((long) length32() + 1);
                    case 0xca -> skip(4);
                    case 0xcb -> skip(8);
                    case 0xcc, 0xd0 -> skip(1);
                    case 0xcd, 0xd1 -> skip(2);
                    case 0xce, 0xd2 -> skip(4);
                    case 0xcf, 0xd3 -> skip(8);
                    case 0xd4 -> skip(2);
                    case 0xd5 -> skip(3);
                    case 0xd6 -> skip(5);
                    case 0xd7 -> skip(9);
                    case 0xd8 -> skip(17);
                    case 0xdc -> pending += u16();
                    case 0xdd -> pending += length32();
                    case 0xde -> pending += 2L * u16();
                    case 0xdf -> pending += 2L * length32();
                    default -> {
                        pos = start;
                        throw error("invalid msgpack format byte", b);
                    }
                }
            }
            if (pending > remaining()) {
                throw new MsgpackException("container declares more elements than the " + remaining()
                        + " remaining bytes at " + start);
            }
        }
    }

    /** The encoded bytes of the next value (a copy), e.g. to keep an opaque nested value. */
    public byte[] readValueBytes() throws MsgpackException {
        int start = pos;
        skipValue();
        return Arrays.copyOfRange(buf, start, pos);
    }

    /** {@code n} bytes outside of msgpack (raw user state), guarded against the remaining bytes. */
    public byte[] readRaw(int n) throws MsgpackException {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** One byte outside of msgpack (a message type). */
    public int readRawByte() throws MsgpackException {
        return u8();
    }

    /** All remaining bytes. */
    public byte[] readRemaining() {
        byte[] out = Arrays.copyOfRange(buf, pos, limit);
        pos = limit;
        return out;
    }

    /** The msgpack family of a format byte; {@code 0xc1} (never used) is reported as an error by readers. */
    public static ValueType typeOf(int b) {
        if (b <= 0x7f || b >= 0xe0) {
            return ValueType.INTEGER;
        }
        if (b <= 0x8f) {
            return ValueType.MAP;
        }
        if (b <= 0x9f) {
            return ValueType.ARRAY;
        }
        if (b <= 0xbf) {
            return ValueType.STRING;
        }
        return switch (b) {
            case 0xc0, 0xc1 -> ValueType.NIL;
            case 0xc2, 0xc3 -> ValueType.BOOLEAN;
            case 0xc4, 0xc5, 0xc6 -> ValueType.BINARY;
            case 0xca, 0xcb -> ValueType.FLOAT;
            case 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3 -> ValueType.INTEGER;
            case 0xd9, 0xda, 0xdb -> ValueType.STRING;
            case 0xdc, 0xdd -> ValueType.ARRAY;
            case 0xde, 0xdf -> ValueType.MAP;
            default -> ValueType.EXTENSION;
        };
    }

    private MsgpackException error(String expected, int b) {
        return new MsgpackException(expected + ", found " + describe(b) + " (0x" + Integer.toHexString(b) + ") at " + pos);
    }

    private static String describe(int b) {
        return b == 0xc1 ? "reserved byte" : typeOf(b).name().toLowerCase();
    }

    /**
     * A struct key. The same few dozen field names ("Node", "Incarnation", …) arrive in every message, so
     * short ASCII keys come from {@link #KEYS}, a small hash-indexed cache, instead of a new String per field.
     * The cache is shared by all threads without locking: slots hold immutable Strings, a racing reader sees
     * either the old or the new one, and a hit is confirmed by comparing every byte.
     */
    private String readKey() throws MsgpackException {
        int n = readStringHeader();
        if (n < 0) {
            return "";
        }
        need(n);
        if (n > MAX_CACHED_KEY) {
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
        int h = n;
        for (int i = pos; i < pos + n; i++) {
            int c = buf[i];
            if (c < 0) { // not ASCII: decode normally, never cached
                String s = new String(buf, pos, n, StandardCharsets.UTF_8);
                pos += n;
                return s;
            }
            h = 31 * h + c;
        }
        int slot = (h ^ (h >>> 16)) & (KEYS.length - 1);
        String cached = KEYS[slot];
        if (cached != null && cached.length() == n && sameAscii(cached, pos)) {
            pos += n;
            return cached;
        }
        String s = new String(buf, pos, n, StandardCharsets.US_ASCII);
        KEYS[slot] = s;
        pos += n;
        return s;
    }

    private boolean sameAscii(String s, int at) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != buf[at + i]) {
                return false;
            }
        }
        return true;
    }

    private void need(long n) throws MsgpackException {
        if (n > limit - pos) {
            throw new MsgpackException("truncated: need " + n + " bytes at " + pos + ", " + (limit - pos) + " remain");
        }
    }

    private void skip(long n) throws MsgpackException {
        need(n);
        pos += (int) n;
    }

    private int u8() throws MsgpackException {
        need(1);
        return buf[pos++] & 0xff;
    }

    private int u16() throws MsgpackException {
        need(2);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private long u32() throws MsgpackException {
        need(4);
        long v = ((long) (buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /** A 32-bit length; anything above what can possibly remain is rejected before allocation. */
    private int length32() throws MsgpackException {
        int start = pos;
        long v = u32();
        if (v > remaining()) {
            throw new MsgpackException("declared length " + v + " exceeds the " + remaining() + " remaining bytes at " + start);
        }
        return (int) v;
    }

    private long s64() throws MsgpackException {
        long hi = u32();
        long lo = u32();
        return (hi << 32) | lo;
    }
}
