package dev.rumor.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.MessagePackException;
import org.msgpack.value.ValueType;

/**
 * msgpack as serf's IPC handle writes it ({@code RawToString: true, WriteExt: true}): the new spec,
 * strings as str (str8 allowed), {@code byte[]} as bin. That is msgpack-core's default behaviour, so the
 * RPC uses msgpack-core's packer directly (the gossip port needs the old spec; see dev.rumor.msgpack).
 *
 * <p>Values map to Java as: map → {@code Map<String,Object>} (insertion order = wire order), array →
 * {@code List<Object>}, str → String, bin → byte[], int → Long, float → Double, bool → Boolean, nil → null.
 * Structs must be written with their keys in sorted order, as Go's encoder does; use a {@code TreeMap}.
 */
public final class IpcCodec {
    /** Refuse absurd declared lengths before allocating (a bad client must not exhaust the heap). */
    static final int MAX_LENGTH = 16 * 1024 * 1024;
    /**
     * Payloads longer than this are read piecewise, so memory grows with the bytes that actually arrive:
     * otherwise each of many connections that declare a 16 MiB string and then stall would pin 16 MiB.
     */
    static final int CHUNK = 64 * 1024;

    private IpcCodec() {
    }

    /** Writes one value; see the class comment for the mapping. */
    public static void write(MessagePacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof byte[] b) {
            p.packBinaryHeader(b.length);
            p.writePayload(b);
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Double d) {
            p.packDouble(d);
        } else if (v instanceof Float f) {
            p.packDouble(f);
        } else if (v instanceof Number n) {
            p.packLong(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                p.packString(String.valueOf(e.getKey()));
                write(p, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                write(p, o);
            }
        } else {
            throw new IllegalArgumentException("cannot encode " + v.getClass());
        }
    }

    /** Encodes values back to back into one byte array. */
    public static byte[] encode(Object... values) throws IOException {
        try (var p = MessagePack.newDefaultBufferPacker()) {
            for (Object v : values) {
                write(p, v);
            }
            return p.toByteArray();
        }
    }

    /** Writes values back to back and flushes. */
    public static void writeTo(OutputStream out, Object... values) throws IOException {
        out.write(encode(values));
        out.flush();
    }

    /** "ip:port" as Go prints a TCP address (Java's SocketAddress adds a leading '/'). */
    public static String hostPort(java.net.SocketAddress a) {
        if (a instanceof java.net.InetSocketAddress i && i.getAddress() != null) {
            String ip = i.getAddress().getHostAddress();
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    public static MessageUnpacker unpacker(InputStream in) {
        return MessagePack.newDefaultUnpacker(in);
    }

    /**
     * Reads the next value.
     *
     * @throws IOException on EOF, a read error or malformed msgpack (msgpack-core's unchecked exceptions are
     *                     converted, so a bad peer can only ever cause an IOException)
     */
    public static Object read(MessageUnpacker u) throws IOException {
        try {
            return readValue(u, 0);
        } catch (org.msgpack.core.MessageInsufficientBufferException e) {
            // the peer closed the connection (between values or in the middle of one)
            throw new java.io.EOFException("EOF");
        } catch (MessagePackException e) {
            throw new IOException("malformed msgpack: " + e.getMessage(), e);
        }
    }

    private static Object readValue(MessageUnpacker u, int depth) throws IOException {
        if (depth > 64) {
            throw new IOException("msgpack nesting too deep");
        }
        MessageFormat f = u.getNextFormat();
        ValueType t = f.getValueType();
        switch (t) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return u.unpackBoolean();
            }
            case INTEGER -> {
                if (f == MessageFormat.UINT64) {
                    return u.unpackBigInteger().longValue();
                }
                return u.unpackLong();
            }
            case FLOAT -> {
                return u.unpackDouble();
            }
            case STRING -> {
                int len = u.unpackRawStringHeader();
                check(len);
                return new String(payload(u, len), java.nio.charset.StandardCharsets.UTF_8);
            }
            case BINARY -> {
                int len = u.unpackBinaryHeader();
                check(len);
                return payload(u, len);
            }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                check(n);
                List<Object> l = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    l.add(readValue(u, depth + 1));
                }
                return l;
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                check(n);
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = readValue(u, depth + 1);
                    Object v = readValue(u, depth + 1);
                    m.put(k instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(k), v);
                }
                return m;
            }
            default -> {
                u.skipValue();
                return null;
            }
        }
    }

    private static byte[] payload(MessageUnpacker u, int len) throws IOException {
        if (len <= CHUNK) {
            return u.readPayload(len);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(CHUNK);
        byte[] chunk = new byte[CHUNK];
        for (int left = len; left > 0; ) {
            int n = Math.min(CHUNK, left);
            u.readPayload(chunk, 0, n);
            out.write(chunk, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static void check(int len) throws IOException {
        if (len < 0 || len > MAX_LENGTH) {
            throw new IOException("msgpack length " + len + " over limit");
        }
    }

    // ---- typed accessors for decoded maps (lenient like Go's decoder: missing → zero value) ----

    public static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v == null ? "" : v.toString();
    }

    public static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return 0;
    }

    public static boolean bool(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        return v instanceof Number n && n.longValue() != 0;
    }

    /** A byte field: bin or str accepted; null stays null. */
    public static byte[] bytes(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A string→string map field (tags). */
    public static Map<String, String> strMap(Map<String, Object> m, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        map(m, key).forEach((k, v) -> out.put(k, v instanceof byte[] b
                ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(v)));
        return out;
    }

    /** Copies a decoded map as a sorted struct body for writing. */
    static Map<String, Object> struct(Object... kv) {
        Map<String, Object> m = new java.util.TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
