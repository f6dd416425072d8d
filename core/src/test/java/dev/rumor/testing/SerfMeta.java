package dev.rumor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Test-side encoder of serf tags into memberlist node meta (wire-protocol §7.2): {@code 0xff} followed by a
 * msgpack map of strings in the old spec (raw family, never str8), which is what serf ≥ protocol 3 expects.
 * Production code has its own codec in the cluster layer; this one exists so membership interop tests can
 * hand serf a node with tags without depending on it.
 */
public final class SerfMeta {
    private static final int MAGIC = 0xff;

    private SerfMeta() {
    }

    public static byte[] encode(Map<String, String> tags) {
        MessageBufferPacker p = new MessagePack.PackerConfig().withStr8FormatSupport(false).newBufferPacker();
        try {
            p.packMapHeader(tags.size());
            for (Map.Entry<String, String> e : new TreeMap<>(tags).entrySet()) {
                p.packString(e.getKey());
                p.packString(e.getValue());
            }
            p.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = p.toByteArray();
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) MAGIC;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Serf's decoding: no magic byte means the whole meta is the legacy {@code role}. */
    public static Map<String, String> decode(byte[] meta) {
        if (meta == null || meta.length == 0 || (meta[0] & 0xff) != MAGIC) {
            return Map.of("role", meta == null ? "" : new String(meta, java.nio.charset.StandardCharsets.UTF_8));
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(meta, 1, meta.length - 1)) {
            int n = u.unpackMapHeader();
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                tags.put(u.unpackString(), u.unpackString());
            }
            return tags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
