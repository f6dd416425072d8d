package dev.rumor.agent.plugin;

import dev.rumor.plugin.Member;
import dev.rumor.plugin.event.Event;
import dev.rumor.plugin.event.EventType;
import dev.rumor.plugin.event.MemberEvent;
import dev.rumor.plugin.event.QueryEvent;
import dev.rumor.plugin.event.UserEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which events a handler instance receives.
 *
 * <p>The event part is serf's filter syntax, unchanged ({@code agent/event_handler.go} {@code ParseEventFilter}):
 * a comma list of {@code member-join}, {@code member-leave}, {@code member-failed}, {@code member-update},
 * {@code member-reap}, {@code user}, {@code user:NAME}, {@code query}, {@code query:NAME} or {@code *};
 * empty means {@code *}. {@code user:}/{@code query:} with an empty name match every user event/query, as in serf.
 *
 * <p>Beyond serf, two optional tag selections (values are Java regular expressions that must match the
 * whole tag value, so {@code web} means exactly "web" and {@code web-.*} a prefix):
 * <ul>
 *   <li>member tags: a member event keeps only the members whose tags match (all listed tags), and is
 *       dropped when none is left; user events and queries are not affected;</li>
 *   <li>local tags: the instance runs only while the local node's tags match.</li>
 * </ul>
 *
 * <p>Serf registers one handler per filter term, so an event matching two terms ({@code user,user:deploy})
 * runs the script twice. A filter made with {@link #parseSerf} keeps that: {@link #deliveries} counts the
 * matching terms. A filter made with {@link #parse} delivers at most once.
 *
 * <p>Immutable and thread-safe; equality is by the source text, so a reload can tell unchanged specs apart.
 */
public final class EventFilter {

    private static final EventFilter ALL = new EventFilter(List.of(new Term("*", null)), false, Map.of(), Map.of());

    private final List<Term> terms;
    private final boolean perTerm;
    private final Map<String, String> memberTags;
    private final Map<String, String> localTags;
    private final Map<String, Pattern> memberPatterns;
    private final Map<String, Pattern> localPatterns;

    /** One filter term: an event name ("*", "user", …) and for user/query an optional exact name. */
    private record Term(String event, String name) {
        boolean matches(Event e) {
            if (event.equals("*")) {
                return true;
            }
            if (!event.equals(e.type().wireName())) {
                return false;
            }
            if (name == null || name.isEmpty()) {
                return true;
            }
            if (e instanceof UserEvent u) {
                return u.name().equals(name);
            }
            if (e instanceof QueryEvent q) {
                return q.name().equals(name);
            }
            return false;
        }

        @Override
        public String toString() {
            return name == null ? event : event + ":" + name;
        }
    }

    private EventFilter(List<Term> terms, boolean perTerm, Map<String, String> memberTags,
                        Map<String, String> localTags) {
        this.terms = List.copyOf(terms);
        this.perTerm = perTerm;
        this.memberTags = Map.copyOf(memberTags);
        this.localTags = Map.copyOf(localTags);
        this.memberPatterns = compile(memberTags, "member_tags");
        this.localPatterns = compile(localTags, "local_tags");
    }

    /** Every event, once. */
    public static EventFilter all() {
        return ALL;
    }

    /**
     * Parses serf's filter syntax; an event is delivered once however many terms match.
     *
     * @throws IllegalArgumentException naming the bad term
     */
    public static EventFilter parse(String filter) {
        return new EventFilter(parseTerms(filter), false, Map.of(), Map.of());
    }

    /** As {@link #parse}, but an event is delivered once per matching term, as serf's agent does. */
    public static EventFilter parseSerf(String filter) {
        return new EventFilter(parseTerms(filter), true, Map.of(), Map.of());
    }

    /**
     * A copy that keeps only members whose tags match every entry (value = whole-value regex).
     *
     * @throws IllegalArgumentException for a bad regular expression, naming the tag
     */
    public EventFilter withMemberTags(Map<String, String> tags) {
        return new EventFilter(terms, perTerm, tags, localTags);
    }

    /** A copy that runs only while the local node's tags match every entry (value = whole-value regex). */
    public EventFilter withLocalTags(Map<String, String> tags) {
        return new EventFilter(terms, perTerm, memberTags, tags);
    }

    private static List<Term> parseTerms(String filter) {
        String v = filter == null || filter.isEmpty() ? "*" : filter;
        List<Term> out = new ArrayList<>();
        for (String raw : v.split(",", -1)) {
            String event = raw;
            String name = null;
            if (raw.startsWith("user:")) {
                event = "user";
                name = raw.substring("user:".length());
            } else if (raw.startsWith("query:")) {
                event = "query";
                name = raw.substring("query:".length());
            }
            if (!event.equals("*") && EventType.fromWireName(event) == null) {
                throw new IllegalArgumentException("invalid event filter '" + raw + "' (expected member-join, "
                        + "member-leave, member-failed, member-update, member-reap, user, user:NAME, query, "
                        + "query:NAME or *)");
            }
            out.add(new Term(event, name));
        }
        return out;
    }

    private static Map<String, Pattern> compile(Map<String, String> tags, String what) {
        Map<String, Pattern> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            try {
                out.put(Objects.requireNonNull(e.getKey()), Pattern.compile(Objects.requireNonNull(e.getValue())));
            } catch (PatternSyntaxException ex) {
                throw new IllegalArgumentException(what + "." + e.getKey() + ": invalid regular expression: "
                        + ex.getDescription(), ex);
            }
        }
        return Map.copyOf(out);
    }

    /**
     * How many times the instance receives {@code event}: 0 (filtered out), 1, or for a serf filter the
     * number of matching terms. Ignores tag selection (see {@link #select}).
     */
    public int deliveries(Event event) {
        int n = 0;
        for (Term t : terms) {
            if (t.matches(event)) {
                if (!perTerm) {
                    return 1;
                }
                n++;
            }
        }
        return n;
    }

    /**
     * Applies the tag selections. Returns the event to deliver (a member event may come back with fewer
     * members), or empty when the local node does not match or no member is left.
     *
     * @param self the local node now (may be null before the agent knows itself: local tags then never match)
     */
    public Optional<Event> select(Event event, Member self) {
        if (!localPatterns.isEmpty() && (self == null || !tagsMatch(self.tags(), localPatterns))) {
            return Optional.empty();
        }
        if (memberPatterns.isEmpty() || !(event instanceof MemberEvent me)) {
            return Optional.of(event);
        }
        List<Member> kept = new ArrayList<>(me.members().size());
        for (Member m : me.members()) {
            if (tagsMatch(m.tags(), memberPatterns)) {
                kept.add(m);
            }
        }
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(kept.size() == me.members().size() ? event : new MemberEvent(me.type(), kept));
    }

    private static boolean tagsMatch(Map<String, String> tags, Map<String, Pattern> wanted) {
        for (Map.Entry<String, Pattern> w : wanted.entrySet()) {
            String v = tags.get(w.getKey());
            if (v == null || !w.getValue().matcher(v).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The serf-syntax event part, e.g. "member-join,user:deploy". */
    public String events() {
        StringBuilder sb = new StringBuilder();
        for (Term t : terms) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(t);
        }
        return sb.toString();
    }

    public Map<String, String> memberTags() {
        return memberTags;
    }

    public Map<String, String> localTags() {
        return localTags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventFilter f && f.terms.equals(terms) && f.perTerm == perTerm
                && f.memberTags.equals(memberTags) && f.localTags.equals(localTags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(terms, perTerm, memberTags, localTags);
    }

    @Override
    public String toString() {
        String s = events();
        if (!memberTags.isEmpty()) {
            s += " members" + memberTags;
        }
        if (!localTags.isEmpty()) {
            s += " local" + localTags;
        }
        return s;
    }
}
