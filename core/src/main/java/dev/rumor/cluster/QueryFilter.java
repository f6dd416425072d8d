package dev.rumor.cluster;

import dev.rumor.msgpack.MsgpackException;
import dev.rumor.msgpack.MsgpackReader;
import dev.rumor.msgpack.MsgpackWriter;
import dev.rumor.msgpack.StructWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who should answer a query (serf {@code filterNode} / {@code filterTag}). On the wire each filter is one
 * byte string: a filter-type byte followed by msgpack in the gossip dialect:
 * <ul>
 *   <li>{@code 00} + array of node names: only those nodes answer;</li>
 *   <li>{@code 01} + {@code {"Expr": regexp, "Tag": name}}: only nodes whose tag matches, unanchored
 *       ({@code MatchString}); a missing tag matches as the empty string.</li>
 * </ul>
 * A node answers only if every filter passes; an undecodable filter, a bad regexp or an unknown filter
 * type means "do not answer" (serf's {@code shouldProcessQuery}). Tag expressions are Go RE2 syntax; the
 * common subset is evaluated with {@link Pattern}.
 *
 * <p>Thread contract: immutable, thread-safe.
 */
public sealed interface QueryFilter {
    int NODE_TYPE = 0;
    int TAG_TYPE = 1;

    byte[] encode();

    boolean matches(String nodeName, Map<String, String> tags);

    record Nodes(List<String> names) implements QueryFilter {
        public Nodes {
            names = List.copyOf(names);
        }

        @Override
        public byte[] encode() {
            MsgpackWriter w = MsgpackWriter.gossip();
            w.rawByte(NODE_TYPE);
            w.arrayHeader(names.size());
            for (String n : names) {
                w.string(n);
            }
            return w.toByteArray();
        }

        @Override
        public boolean matches(String nodeName, Map<String, String> tags) {
            return names.contains(nodeName);
        }
    }

    record Tag(String tag, String expr) implements QueryFilter {
        @Override
        public byte[] encode() {
            MsgpackWriter w = MsgpackWriter.gossip();
            w.rawByte(TAG_TYPE);
            StructWriter s = w.struct();
            s.field("Tag").string(tag);
            s.field("Expr").string(expr);
            s.end();
            return w.toByteArray();
        }

        /** False (not an exception) for an expression that does not compile, as serf does. */
        @Override
        public boolean matches(String nodeName, Map<String, String> tags) {
            try {
                return Pattern.compile(expr).matcher(tags.getOrDefault(tag, "")).find();
            } catch (PatternSyntaxException e) {
                Holder.LOG.warn("failed to compile filter regex ({}): {}", expr, e.getDescription());
                return false;
            }
        }
    }

    /**
     * @throws MsgpackException for an empty buffer, an unknown filter type or a malformed body
     */
    static QueryFilter decode(byte[] b) throws MsgpackException {
        if (b == null || b.length == 0) {
            throw new MsgpackException("empty query filter");
        }
        MsgpackReader r = new MsgpackReader(b, 1, b.length - 1);
        switch (b[0] & 0xff) {
            case NODE_TYPE: {
                int n = r.readArrayHeaderOrNil();
                List<String> names = new ArrayList<>(Math.max(n, 0));
                for (int i = 0; i < n; i++) {
                    names.add(r.readString());
                }
                return new Nodes(names);
            }
            case TAG_TYPE: {
                String[] f = {"", ""};
                r.readStruct((k, v) -> switch (k) {
                    case "Tag" -> {
                        f[0] = v.readString();
                        yield true;
                    }
                    case "Expr" -> {
                        f[1] = v.readString();
                        yield true;
                    }
                    default -> false;
                });
                return new Tag(f[0], f[1]);
            }
            default:
                throw new MsgpackException("query has unrecognized filter type: " + (b[0] & 0xff));
        }
    }

    /** serf's {@code shouldProcessQuery}: never throws; any filter problem means "no". */
    static boolean shouldProcess(List<byte[]> filters, String nodeName, Map<String, String> tags) {
        if (filters == null) {
            return true;
        }
        for (byte[] raw : filters) {
            QueryFilter f;
            try {
                f = decode(raw);
            } catch (MsgpackException e) {
                Holder.LOG.warn("failed to decode query filter: {}", e.getMessage());
                return false;
            }
            if (!f.matches(nodeName, tags)) {
                return false;
            }
        }
        return true;
    }

    /** Logger holder: interfaces cannot have private static fields. */
    final class Holder {
        static final Logger LOG = LoggerFactory.getLogger(QueryFilter.class);

        private Holder() {
        }
    }
}
