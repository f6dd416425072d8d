package dev.rumor.msgpack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the fields of one Go struct and writes them as a msgpack map with keys in byte-wise sorted
 * order, which is what go-msgpack emits (wire-protocol.md §1.1). Sorting here means callers can list
 * fields in whatever order reads best and still be byte-identical to the Go binary.
 *
 * <pre>{@code
 * MsgpackWriter w = MsgpackWriter.gossip();
 * StructWriter s = w.struct();
 * s.field("SeqNo").uint(seq);
 * s.field("Node").string(node);
 * s.end();
 * }</pre>
 *
 * Each {@link #field} must receive exactly one value. Omitted ({@code omitempty}) fields are simply not
 * added. Not thread-safe.
 */
public final class StructWriter {

    private final MsgpackWriter parent;
    private final List<Field> fields = new ArrayList<>();
    private boolean ended;

    StructWriter(MsgpackWriter parent) {
        this.parent = parent;
    }

    /** @return a writer that takes this field's single value */
    public MsgpackWriter field(String key) {
        if (ended) {
            throw new IllegalStateException("struct already written");
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        for (Field f : fields) {
            if (Arrays.equals(f.key, k)) {
                throw new IllegalArgumentException("duplicate field " + key);
            }
        }
        MsgpackWriter value = new MsgpackWriter(parent.dialect(), 32);
        fields.add(new Field(k, value));
        return value;
    }

    /** Writes the map into the parent writer and returns it. */
    public MsgpackWriter end() {
        if (ended) {
            throw new IllegalStateException("struct already written");
        }
        ended = true;
        fields.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
        parent.mapHeader(fields.size());
        for (Field f : fields) {
            if (f.value.size() == 0) {
                throw new IllegalStateException("field " + new String(f.key, StandardCharsets.UTF_8) + " has no value");
            }
            parent.stringBytes(f.key);
            parent.raw(f.value.toByteArray());
        }
        return parent;
    }

    /**
     * Asserts that hand-written keys are in go-msgpack's (byte-wise) order, for code that writes map
     * entries directly for speed.
     */
    public static void requireSorted(String... keys) {
        for (int i = 1; i < keys.length; i++) {
            if (Arrays.compareUnsigned(keys[i - 1].getBytes(StandardCharsets.UTF_8),
                    keys[i].getBytes(StandardCharsets.UTF_8)) >= 0) {
                throw new IllegalArgumentException("keys not in byte-wise order: " + keys[i - 1] + " >= " + keys[i]);
            }
        }
    }

    private record Field(byte[] key, MsgpackWriter value) {
    }
}
