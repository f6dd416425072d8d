package dev.rumor.plugins.chef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code self_tags} selector: every key must be present among the local node's tags and its value must
 * match the given regular expression over the whole tag value (so a plain word such as {@code web} means
 * exactly "web", and {@code web|api} means either). Serf's query tag filters are unanchored; anchoring here
 * avoids {@code role: web} also selecting {@code role: webhook-relay}. Immutable; safe from any thread.
 */
final class TagSelector {
    private final Map<String, Pattern> required;

    private TagSelector(Map<String, Pattern> required) {
        this.required = required;
    }

    static TagSelector of(Map<String, String> spec) {
        Map<String, Pattern> compiled = new LinkedHashMap<>();
        spec.forEach((k, v) -> {
            try {
                compiled.put(k, Pattern.compile(v));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("self_tags." + k + " is not a valid regular expression: "
                        + e.getDescription());
            }
        });
        return new TagSelector(Map.copyOf(compiled));
    }

    boolean matches(Map<String, String> tags) {
        for (Map.Entry<String, Pattern> e : required.entrySet()) {
            String value = tags.get(e.getKey());
            if (value == null || !e.getValue().matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }

    boolean isEmpty() {
        return required.isEmpty();
    }

    @Override
    public String toString() {
        return required.toString();
    }
}
