package dev.rumor.plugins.shellexec;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The variables serf's agent adds to a handler's environment ({@code agent/invoke.go}), each also under
 * a {@code RUMOR_} alias:
 * <pre>
 * SERF_EVENT        member-join | member-leave | member-failed | member-update | member-reap | user | query
 * SERF_SELF_NAME    local node name
 * SERF_SELF_ROLE    local tag "role" (empty when absent)
 * SERF_TAG_&lt;KEY&gt;    every local tag; KEY upper-cased, every char outside [A-Z0-9_] replaced by '_'
 * SERF_USER_EVENT   user events: the event name     SERF_USER_LTIME   its Lamport time
 * SERF_QUERY_NAME   queries: the query name          SERF_QUERY_LTIME  its Lamport time
 * </pre>
 */
final class ScriptEnvironment {

    static final String SERF = "SERF_";
    static final String RUMOR = "RUMOR_";

    private ScriptEnvironment() {
    }

    /** The handler variables (without the agent's own environment), both prefixes, in name order. */
    static Map<String, String> of(Event event, Member self) {
        Map<String, String> vars = new TreeMap<>();
        Map<String, String> tags = self == null ? Map.of() : self.tags();
        put(vars, "EVENT", event.type().wireName());
        put(vars, "SELF_NAME", self == null ? "" : self.name());
        put(vars, "SELF_ROLE", tags.getOrDefault("role", ""));
        for (Map.Entry<String, String> t : tags.entrySet()) {
            put(vars, "TAG_" + sanitize(t.getKey()), t.getValue());
        }
        if (event instanceof UserEvent u) {
            put(vars, "USER_EVENT", u.name());
            put(vars, "USER_LTIME", Long.toString(u.ltime()));
        } else if (event instanceof QueryEvent q) {
            put(vars, "QUERY_NAME", q.name());
            put(vars, "QUERY_LTIME", Long.toString(q.ltime()));
        }
        return vars;
    }

    private static void put(Map<String, String> vars, String name, String value) {
        vars.put(SERF + name, value);
        vars.put(RUMOR + name, value);
    }

    /** serf: {@code [^A-Z0-9_]} of the upper-cased name becomes '_' ("weird.key-x" → "WEIRD_KEY_X"). */
    static String sanitize(String tagName) {
        String up = tagName.toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(up.length());
        for (int i = 0; i < up.length(); i++) {
            char c = up.charAt(i);
            sb.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return sb.toString();
    }
}
