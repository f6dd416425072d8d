package dev.rumor.msgpack;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Finds where msgpack values end on an unframed byte stream. memberlist's TCP protocol has no length
 * prefix for plaintext messages (wire-protocol.md §3), so a reader must walk the msgpack structure to
 * know how many bytes belong to the message; this class copies exactly one value's bytes off the stream
 * without interpreting them, and the bytes are then decoded with {@link MsgpackReader}.
 *
 * <p>Every read is bounded by a caller-given byte budget so a peer cannot make us buffer without limit;
 * the budget is checked before payload bytes are read, so a huge declared length fails fast.
 */
public final class MsgpackStream {

    private final InputStream in;
    private final ByteArrayOutputStream out;
    private final long maxBytes;
    /** A byte read ahead by {@link #readValue} and not yet copied, or -1. */
    private int pushedBack = -1;

    /**
     * @param in       the stream to read from (reads are unbuffered byte-by-byte for headers; wrap the socket
     *                 stream in a {@link java.io.BufferedInputStream})
     * @param maxBytes how many bytes in total this instance may copy before failing
     */
    public MsgpackStream(InputStream in, long maxBytes) {
        this.in = in;
        this.out = new ByteArrayOutputStream();
        this.maxBytes = maxBytes;
    }

    /**
     * Reads exactly one msgpack value from {@code in} (e.g. the next IPC header or body on a long-lived
     * connection) and returns its bytes for {@link MsgpackReader}.
     *
     * @return the value's bytes, or null if the stream ended cleanly before its first byte
     * @throws IOException on a read error, an end of stream inside the value, invalid format bytes, or more than
     *                     {@code maxBytes} bytes
     */
    public static byte[] readValue(InputStream in, long maxBytes) throws IOException {
        MsgpackStream s = new MsgpackStream(in, maxBytes);
        if (!s.peekStart()) {
            return null;
        }
        s.copyValue();
        return s.bytes();
    }

    /** Reads the first byte ahead so that a clean end of stream can be told apart from a truncated value. */
    private boolean peekStart() throws IOException {
        int b = in.read();
        if (b < 0) {
            return false;
        }
        pushedBack = b;
        return true;
    }

    /** Everything copied so far. */
    public byte[] bytes() {
        return out.toByteArray();
    }

    public int size() {
        return out.size();
    }

    /**
     * Copies one byte, or returns -1 at end of stream (only meaningful before a message starts).
     */
    public int copyByteOrEof() throws IOException {
        int b = in.read();
        if (b >= 0) {
            budget(1);
            out.write(b);
        }
        return b;
    }

    /** Copies exactly {@code n} bytes that are not msgpack (e.g. push/pull user state). */
    public void copyRaw(long n) throws IOException {
        if (n < 0) {
            throw new IOException("negative length " + n);
        }
        budget(n);
        byte[] chunk = new byte[(int) Math.min(n, 8192)];
        long left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, (int) Math.min(left, chunk.length));
            if (r < 0) {
                throw new EOFException("stream ended inside a message");
            }
            out.write(chunk, 0, r);
            left -= r;
        }
    }

    /** Copies one complete msgpack value, however deeply nested, and returns the offset it started at. */
    public int copyValue() throws IOException {
        int start = out.size();
        long pending = 1;
        while (pending > 0) {
            pending--;
            int b = copyByte();
            if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
                continue;
            }
            if (b <= 0x8f) {
                pending += 2L * (b & 0x0f);
            } else if (b <= 0x9f) {
                pending += b & 0x0f;
            } else if (b <= 0xbf) {
                copyRaw(b & 0x1f);
            } else {
                switch (b) {
                    case 0xc4, 0xd9 -> copyRaw(copyUnsigned(1));
                    case 0xc5, 0xda -> copyRaw(copyUnsigned(2));
                    case 0xc6, 0xdb -> copyRaw(copyUnsigned(4));
                    case 0xc7 -> copyRaw(copyUnsigned(1) + 1);
                    case 0xc8 -> copyRaw(copyUnsigned(2) + 1);
                    case 0xc9 -> copyRaw(copyUnsigned(4) + 1);
                    case 0xca -> copyRaw(4);
                    case 0xcb -> copyRaw(8);
                    case 0xcc, 0xd0 -> copyRaw(1);
                    case 0xcd, 0xd1 -> copyRaw(2);
                    case 0xce, 0xd2 -> copyRaw(4);
                    case 0xcf, 0xd3 -> copyRaw(8);
                    case 0xd4 -> copyRaw(2);
                    case 0xd5 -> copyRaw(3);
                    case 0xd6 -> copyRaw(5);
                    case 0xd7 -> copyRaw(9);
                    case 0xd8 -> copyRaw(17);
                    case 0xdc -> pending += copyUnsigned(2);
                    case 0xdd -> pending += copyUnsigned(4);
                    case 0xde -> pending += 2 * copyUnsigned(2);
                    case 0xdf -> pending += 2 * copyUnsigned(4);
                    default -> throw new IOException("invalid msgpack format byte 0x" + Integer.toHexString(b));
                }
            }
            if (pending > maxBytes - out.size()) {
                throw new IOException("message exceeds the limit of " + maxBytes + " bytes");
            }
        }
        return start;
    }

    /** Copies a big-endian unsigned integer of {@code n} (1, 2 or 4) bytes and returns it. */
    public long copyUnsigned(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | copyByte();
        }
        return v;
    }

    private int copyByte() throws IOException {
        int b;
        if (pushedBack >= 0) {
            b = pushedBack;
            pushedBack = -1;
        } else {
            b = in.read();
        }
        if (b < 0) {
            throw new EOFException("stream ended inside a message");
        }
        budget(1);
        out.write(b);
        return b;
    }

    private void budget(long n) throws IOException {
        if (n > maxBytes - out.size()) {
            throw new IOException("message exceeds the limit of " + maxBytes + " bytes");
        }
    }
}
