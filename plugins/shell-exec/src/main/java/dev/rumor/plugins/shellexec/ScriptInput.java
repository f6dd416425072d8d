package dev.rumor.plugins.shellexec;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a handler reads on stdin, as serf writes it ({@code agent/invoke.go}):
 * <ul>
 *   <li>member events: one line per member, {@code NAME\tADDRESS\tROLE\tTAGS\n}, TAGS = {@code k=v,k2=v2};
 *       tabs and newlines inside name, role and the tag list are written as the two characters {@code \t}
 *       and {@code \n}. serf lists tags in Go's random map order; we sort them by key (one of those
 *       orders, and stable for scripts and tests);</li>
 *   <li>user events and queries: the payload, plus a '\n' when it is non-empty and does not end with one
 *       (most shells' {@code read} need it); empty payload = empty stdin.</li>
 * </ul>
 */
final class ScriptInput {

    private ScriptInput() {
    }

    static byte[] of(Event event) {
        if (event instanceof MemberEvent me) {
            StringBuilder sb = new StringBuilder();
            for (Member m : me.members()) {
                sb.append(clean(m.name())).append('\t')
                        .append(m.address()).append('\t')
                        .append(clean(m.tags().getOrDefault("role", ""))).append('\t')
                        .append(clean(tagList(m.tags()))).append('\n');
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] payload = event instanceof UserEvent u ? u.payload() : ((QueryEvent) event).payload();
        if (payload.length == 0 || payload[payload.length - 1] == '\n') {
            return payload;
        }
        byte[] out = new byte[payload.length + 1];
        System.arraycopy(payload, 0, out, 0, payload.length);
        out[payload.length] = '\n';
        return out;
    }

    private static String tagList(Map<String, String> tags) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(t.getKey()).append('=').append(t.getValue());
        }
        return sb.toString();
    }

    /** serf's {@code eventClean}. */
    static String clean(String v) {
        return v.replace("\t", "\\t").replace("\n", "\\n");
    }
}
