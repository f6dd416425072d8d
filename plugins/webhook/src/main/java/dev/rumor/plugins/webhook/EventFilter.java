package dev.rumor.plugins.webhook;

import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Which events an endpoint receives, in serf's {@code -event-handler} filter syntax: a comma-separated list
 * of {@code *}, an event type ({@code member-join}, {@code user}, {@code query}, ...), or
 * {@code user:NAME} / {@code query:NAME} for one user event or query name (as serf's
 * {@code ParseEventFilter} reads it).
 */
final class EventFilter {
    private record Term(EventType type, String name) {
        boolean matches(Event e) {
            if (type == null) {
                return true; // "*"
            }
            if (type != e.type()) {
                return false;
            }
            if (name == null) {
                return true;
            }
            if (e instanceof UserEvent u) {
                return name.equals(u.name());
            }
            return e instanceof QueryEvent q && name.equals(q.name());
        }
    }

    private final List<Term> terms;
    private final String text;

    private EventFilter(List<Term> terms, String text) {
        this.terms = terms;
        this.text = text;
    }

    static final EventFilter ALL = new EventFilter(List.of(new Term(null, null)), "*");

    /**
     * @throws IllegalArgumentException with a message (without key prefix) naming the bad term
     */
    static EventFilter parse(String text) {
        List<Term> terms = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String t = raw.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty event type in '" + text + "'");
            }
            if (t.equals("*")) {
                terms.add(new Term(null, null));
                continue;
            }
            String typeName = t;
            String name = null;
            int colon = t.indexOf(':');
            if (colon >= 0) {
                typeName = t.substring(0, colon);
                name = t.substring(colon + 1);
            }
            EventType type = EventType.fromWireName(typeName);
            if (type == null) {
                throw new IllegalArgumentException("unknown event type '" + typeName + "'");
            }
            if (name != null && type != EventType.USER && type != EventType.QUERY) {
                throw new IllegalArgumentException("only user and query events take a name, not '" + t + "'");
            }
            if (name != null && name.isEmpty()) {
                name = null; // serf: "user:" is the same as "user"
            }
            terms.add(new Term(type, name));
        }
        return new EventFilter(List.copyOf(terms), text);
    }

    boolean matches(Event e) {
        for (Term t : terms) {
            if (t.matches(e)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
