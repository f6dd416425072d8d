package dev.rumor.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds msgpack bytes exactly as go-msgpack 0.5.5 writes them, so that our output is byte-identical to
 * the Go binary's (wire-protocol.md §1.1): smallest integer encodings regardless of the declared type,
 * fix/16/32 container headers, and strings and byte arrays per {@link Dialect}.
 *
 * <p>msgpack-core's packer is deliberately not used here: its defaults write str8 and bin, which the
 * gossip dialect must never emit, and byte-exactness is easier to guarantee with the dozen header rules
 * written out below.
 *
 * <p>Not thread-safe; one writer builds one message.
 */
public final class MsgpackWriter {

    private final Dialect dialect;
    private byte[] buf;
    private int len;

    public MsgpackWriter(Dialect dialect) {
        this(dialect, 64);
    }

    public MsgpackWriter(Dialect dialect, int initialCapacity) {
        this.dialect = java.util.Objects.requireNonNull(dialect, "dialect");
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /** A writer for memberlist/serf gossip (old spec: raw strings and byte arrays). */
    public static MsgpackWriter gossip() {
        return new MsgpackWriter(Dialect.GOSSIP);
    }

    /** A writer for the agent RPC protocol (new spec: str8 and bin). */
    public static MsgpackWriter ipc() {
        return new MsgpackWriter(Dialect.IPC);
    }

    public Dialect dialect() {
        return dialect;
    }

    public MsgpackWriter nil() {
        return put(0xc0);
    }

    public MsgpackWriter bool(boolean b) {
        return put(b ? 0xc3 : 0xc2);
    }

    /**
     * Writes {@code v} as an unsigned 64-bit integer (values with the top bit set are the upper half of the
     * u64 range) in the smallest encoding: fixint, then 0xcc/0xcd/0xce/0xcf.
     */
    public MsgpackWriter uint(long v) {
        if (v >= 0 && v <= 0x7f) {
            return put((int) v);
        }
        if (v >= 0 && v <= 0xff) {
            return put(0xcc).put((int) v);
        }
        if (v >= 0 && v <= 0xffff) {
            return put(0xcd).be16((int) v);
        }
        if (v >= 0 && v <= 0xffffffffL) {
            return put(0xce).be32((int) v);
        }
        return put(0xcf).be64(v);
    }

    /** Writes a signed integer: non-negative values as {@link #uint}, negative ones as fixint/0xd0..0xd3. */
    public MsgpackWriter integer(long v) {
        if (v >= 0) {
            return uint(v);
        }
        if (v >= -32) {
            return put((int) v & 0xff);
        }
        if (v >= Byte.MIN_VALUE) {
            return put(0xd0).put((int) v & 0xff);
        }
        if (v >= Short.MIN_VALUE) {
            return put(0xd1).be16((int) v);
        }
        if (v >= Integer.MIN_VALUE) {
            return put(0xd2).be32((int) v);
        }
        return put(0xd3).be64(v);
    }

    public MsgpackWriter float64(double d) {
        return put(0xcb).be64(Double.doubleToRawLongBits(d));
    }

    public MsgpackWriter float32(float f) {
        return put(0xca).be32(Float.floatToRawIntBits(f));
    }

    /** UTF-8 string; {@code null} is written as nil. */
    public MsgpackWriter string(String s) {
        if (s == null) {
            return nil();
        }
        return stringBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string whose UTF-8 bytes are already at hand (string header in both dialects). */
    public MsgpackWriter stringBytes(byte[] utf8) {
        if (utf8 == null) {
            return nil();
        }
        strHeader(utf8.length);
        return raw(utf8);
    }

    /**
     * A byte string (Go {@code []byte}: IPs, metadata, payloads): raw in the gossip dialect, bin in the IPC
     * dialect; {@code null} is nil (a Go nil slice), an empty array a zero-length raw/bin.
     */
    public MsgpackWriter bytes(byte[] b) {
        if (b == null) {
            return nil();
        }
        return bytes(b, 0, b.length);
    }

    public MsgpackWriter bytes(byte[] b, int off, int n) {
        if (dialect == Dialect.GOSSIP) {
            strHeader(n);
        } else if (n < 256) {
            put(0xc4).put(n);
        } else if (n < 65536) {
            put(0xc5).be16(n);
        } else {
            put(0xc6).be32(n);
        }
        return raw(b, off, n);
    }

    public MsgpackWriter mapHeader(int n) {
        return containerHeader(n, 0x80, 0xde, 0xdf);
    }

    public MsgpackWriter arrayHeader(int n) {
        return containerHeader(n, 0x90, 0xdc, 0xdd);
    }

    /** Appends already-encoded bytes verbatim (a nested pre-encoded value, or raw user state). */
    public MsgpackWriter raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public MsgpackWriter raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    /** Appends one byte (e.g. a memberlist message type) outside of msgpack. */
    public MsgpackWriter rawByte(int b) {
        return put(b & 0xff);
    }

    /**
     * Starts a Go struct: fields may be added in any order and are emitted as one map with keys sorted
     * byte-wise, as go-msgpack does. Call {@link StructWriter#end()} to write it here.
     */
    public StructWriter struct() {
        return new StructWriter(this);
    }

    public int size() {
        return len;
    }

    public MsgpackWriter reset() {
        len = 0;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void strHeader(int n) {
        if (n < 32) {
            put(0xa0 | n);
        } else if (n < 256 && dialect == Dialect.IPC) {
            put(0xd9).put(n);
        } else if (n < 65536) {
            put(0xda).be16(n);
        } else {
            put(0xdb).be32(n);
        }
    }

    private MsgpackWriter containerHeader(int n, int fix, int b16, int b32) {
        if (n < 0) {
            throw new IllegalArgumentException("negative container length " + n);
        }
        if (n < 16) {
            return put(fix | n);
        }
        if (n < 65536) {
            return put(b16).be16(n);
        }
        return put(b32).be32(n);
    }

    private MsgpackWriter put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    private MsgpackWriter be16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    private MsgpackWriter be32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    private MsgpackWriter be64(long v) {
        be32((int) (v >>> 32));
        return be32((int) v);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
