package dev.rumor.cluster;

import dev.rumor.cluster.wire.SerfCodec;
import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serf tags ↔ memberlist node metadata (serf {@code encodeTags}/{@code decodeTags}, wire-protocol §7.2).
 *
 * <p>Serf protocol ≥ 3 writes {@code 0xff} followed by a msgpack map string→string in the gossip
 * dialect (keys sorted here; Go's order is random, and decoders do not care). Older nodes put the bare
 * {@code role} string in the metadata; a metadata that is empty or does not start with {@code 0xff} is
 * read as {@code {"role": <all bytes>}}, so an empty metadata decodes to {@code {"role": ""}}.
 * The encoded form must fit memberlist's 512-byte metadata limit.
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class Tags {
    private static final Logger LOG = LoggerFactory.getLogger(Tags.class);

    /** First byte of msgpack-encoded tags; cannot start a valid legacy role string's UTF-8. */
    public static final int MAGIC = 0xff;
    /** memberlist's {@code MetaMaxSize}. */
    public static final int MAX_ENCODED_SIZE = 512;

    private Tags() {
    }

    /**
     * @throws IllegalArgumentException "Encoded length of tags exceeds limit of 512 bytes"
     */
    public static byte[] encode(Map<String, String> tags) {
        byte[] b = encodeUnchecked(tags);
        if (b.length > MAX_ENCODED_SIZE) {
            throw new IllegalArgumentException(
                    "Encoded length of tags exceeds limit of " + MAX_ENCODED_SIZE + " bytes");
        }
        return b;
    }

    static byte[] encodeUnchecked(Map<String, String> tags) {
        MsgpackWriter w = MsgpackWriter.gossip();
        w.rawByte(MAGIC);
        SerfCodec.writeStringMap(w, tags == null ? Map.of() : tags);
        return w.toByteArray();
    }

    /** The serf protocol &lt; 3 form: only the {@code role} tag, as bare bytes. */
    public static byte[] encodeLegacy(Map<String, String> tags) {
        return tags.getOrDefault("role", "").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Never throws: metadata comes from peers. Undecodable msgpack yields the entries read before the
     * error (what Go's decoder leaves in the map) and is logged.
     */
    public static Map<String, String> decode(byte[] meta) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (meta == null || meta.length == 0 || (meta[0] & 0xff) != MAGIC) {
            tags.put("role", meta == null ? "" : new String(meta, StandardCharsets.UTF_8));
            return tags;
        }
        MsgpackReader r = new MsgpackReader(meta, 1, meta.length - 1);
        try {
            int n = r.readMapHeaderOrNil();
            for (int i = 0; i < n; i++) {
                String k = r.readString();
                tags.put(k, r.readString());
            }
        } catch (MsgpackException e) {
            LOG.warn("Failed to decode tags: {}", e.getMessage());
        }
        return tags;
    }
}
