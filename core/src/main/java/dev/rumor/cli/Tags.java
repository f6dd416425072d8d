package dev.rumor.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** serf's {@code -tag k=v} parsing and {@code k=v} rendering (agent.UnmarshalTags / MarshalTags). */
public final class Tags {
    private Tags() {
    }

    /** Parses "k=v" strings; a tag must contain '=' and a non-empty key ("Invalid tag: 'x'"). */
    public static Map<String, String> parse(List<String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : tags) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Invalid tag: '" + t + "'");
            }
            out.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return out;
    }

    /** "k=v" strings in key order (serf's order is random; sorted is one of its possible outputs). */
    public static List<String> marshal(Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(tags).forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }
}
