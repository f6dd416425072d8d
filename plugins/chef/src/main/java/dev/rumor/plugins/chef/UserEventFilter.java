package dev.rumor.plugins.chef;

import java.util.ArrayList;
import java.util.List;

/**
 * Which user events trigger a chef run, in serf's handler-filter syntax: a comma list of {@code user:NAME}
 * (that event only), {@code user} or {@code *} (every user event). Member events and queries never trigger a
 * run, so {@code member-join} or {@code query:x} here is a configuration error rather than a silent no-op.
 * Immutable.
 */
record UserEventFilter(boolean any, List<String> names) {

    static UserEventFilter parse(String spec) {
        boolean any = false;
        List<String> names = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("*") || part.equals("user")) {
                any = true;
            } else if (part.startsWith("user:") && part.length() > "user:".length()) {
                names.add(part.substring("user:".length()));
            } else {
                throw new IllegalArgumentException("events: chef runs only on user events (\"user:NAME\", \"user\""
                        + " or \"*\"), got \"" + part + "\"");
            }
        }
        if (!any && names.isEmpty()) {
            throw new IllegalArgumentException("events must name at least one user event, e.g. \"user:deploy\"");
        }
        return new UserEventFilter(any, List.copyOf(names));
    }

    boolean matches(String userEventName) {
        return any || names.contains(userEventName);
    }
}
