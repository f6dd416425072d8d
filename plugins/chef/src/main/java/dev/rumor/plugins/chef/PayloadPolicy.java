package dev.rumor.plugins.chef;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a trigger's payload and decides whether it runs chef, is not meant for this node, or is refused.
 *
 * <p>The payload is UTF-8 text, trimmed. Two forms:
 * <ul>
 *   <li><b>plain</b> (no {@code =} anywhere): the whole text is one value. It is the run-list override when
 *       {@code run_list_from_payload} is on, otherwise the value matched against {@code payload_filter}.</li>
 *   <li><b>fields</b>: whitespace-separated {@code key=value} tokens, e.g. {@code env=prod
 *       run_list=recipe[app::deploy]}. {@code run_list} is the run-list override; the key named by
 *       {@code payload_key} (default {@code env}) is matched against {@code payload_filter}; other keys are
 *       ignored. A token that is not {@code key=value}, or a repeated key, refuses the whole payload.</li>
 * </ul>
 *
 * <p>Nothing from the payload ever reaches a shell: the run-list becomes one argv element after {@code -o}.
 * It must still match {@code run_list_allow} in full, and, whatever that pattern says, it may not start with
 * {@code -} (chef would read it as an option) nor contain whitespace or control characters. Refusals are
 * checked before the filter, so an injection attempt is reported as refused on every node. Immutable.
 */
final class PayloadPolicy {
    static final String DEFAULT_RUN_LIST_ALLOW =
            "^(recipe|role)\\[[A-Za-z0-9_:.-]+\\](,(recipe|role)\\[[A-Za-z0-9_:.-]+\\])*$";
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)=(\\S+)");
    private static final int MAX_RUN_LIST = 4096;

    /** What to do with one trigger. */
    sealed interface Decision permits Run, Skip, Refuse {
    }

    /** Run chef; {@code runList} is the override, or null for the node's own run-list. */
    record Run(String runList) implements Decision {
    }

    /** Not meant for this node (payload filter); logged at INFO. */
    record Skip(String reason) implements Decision {
    }

    /** Malformed or disallowed; logged at WARN and counted. */
    record Refuse(String reason) implements Decision {
    }

    private final List<Pattern> filter;
    private final String payloadKey;
    private final boolean runListFromPayload;
    private final Pattern runListAllow;

    PayloadPolicy(List<String> filterValues, String payloadKey, boolean runListFromPayload, String runListAllow) {
        List<Pattern> f = new ArrayList<>();
        for (String v : filterValues) {
            f.add(filterPattern(v));
        }
        this.filter = List.copyOf(f);
        if (!TOKEN.matcher(payloadKey + "=x").matches() || payloadKey.equals("run_list")) {
            throw new IllegalArgumentException("payload_key must be a plain word other than run_list, got \""
                    + payloadKey + "\"");
        }
        this.payloadKey = payloadKey;
        this.runListFromPayload = runListFromPayload;
        try {
            this.runListAllow = Pattern.compile(runListAllow);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("run_list_allow is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    /** An entry {@code /re/} is a regular expression over the whole value; anything else must be equal. */
    private static Pattern filterPattern(String v) {
        if (v.length() >= 2 && v.startsWith("/") && v.endsWith("/")) {
            try {
                return Pattern.compile(v.substring(1, v.length() - 1));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("payload_filter entry " + v + " is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        return Pattern.compile(Pattern.quote(v));
    }

    Decision decide(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString().strip();
        } catch (CharacterCodingException e) {
            return new Refuse("payload is not valid UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
                return new Refuse("payload contains control character 0x" + Integer.toHexString(c));
            }
        }

        String filterValue = null;
        String runList = null;
        if (text.indexOf('=') >= 0) {
            Map<String, String> fields = new HashMap<>();
            for (String token : text.split("\\s+")) {
                Matcher m = TOKEN.matcher(token);
                if (!m.matches()) {
                    return new Refuse("payload token \"" + shorten(token) + "\" is not key=value");
                }
                if (fields.put(m.group(1), m.group(2)) != null) {
                    return new Refuse("payload repeats key " + m.group(1));
                }
            }
            filterValue = fields.get(payloadKey);
            runList = fields.get("run_list");
            if (runList != null && !runListFromPayload) {
                return new Refuse("payload carries run_list but run_list_from_payload is off");
            }
        } else if (!text.isEmpty()) {
            if (runListFromPayload) {
                runList = text;
            } else {
                filterValue = text;
            }
        }

        if (runList != null) {
            String why = checkRunList(runList);
            if (why != null) {
                return new Refuse(why);
            }
        }
        if (!filter.isEmpty()) {
            if (filterValue == null) {
                return new Skip("payload has no " + (text.indexOf('=') >= 0 ? payloadKey + "= value" : "value")
                        + " to match payload_filter");
            }
            final String v = filterValue;
            if (filter.stream().noneMatch(p -> p.matcher(v).matches())) {
                return new Skip("payload value \"" + shorten(v) + "\" does not match payload_filter");
            }
        }
        return new Run(runList);
    }

    private String checkRunList(String runList) {
        if (runList.length() > MAX_RUN_LIST) {
            return "run-list is longer than " + MAX_RUN_LIST + " characters";
        }
        if (runList.startsWith("-")) {
            return "run-list \"" + shorten(runList) + "\" starts with '-'";
        }
        for (int i = 0; i < runList.length(); i++) {
            char c = runList.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "run-list \"" + shorten(runList) + "\" contains whitespace or control characters";
            }
        }
        if (!runListAllow.matcher(runList).matches()) {
            return "run-list \"" + shorten(runList) + "\" is not allowed by run_list_allow";
        }
        return null;
    }

    /** Keeps log lines bounded and single-line whatever a sender put in the payload. */
    static String shorten(String s) {
        String one = s.replaceAll("[\\r\\n\\t]", " ");
        return one.length() <= 120 ? one : one.substring(0, 120) + "...";
    }
}
